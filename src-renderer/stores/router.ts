import { createStore } from 'zustand/vanilla';

/**
 * Hash routes, so deep links work from file:// (Electron) and from the
 * dashboard server alike: #/containers, #/containers/<id>/<tab>, #/images,
 * #/volumes, #/contexts (remote engines), #/settings.
 */
export type Route =
  | { view: 'containers' }
  | { view: 'container'; id: string; tab: DetailTab }
  | { view: 'images' }
  | { view: 'image'; ref: string }
  | { view: 'volumes' }
  | { view: 'volume'; name: string }
  | { view: 'networks' }
  | { view: 'compose'; project: string }
  | { view: 'contexts' }
  | { view: 'settings' };

export type DetailTab = 'logs' | 'inspect' | 'stats' | 'terminal' | 'files';
export const DETAIL_TABS: readonly DetailTab[] = ['logs', 'inspect', 'stats', 'terminal', 'files'];

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  switch (parts[0]) {
    case 'images':
      return parts[1] ? { view: 'image', ref: parts[1] } : { view: 'images' };
    case 'volumes':
      return parts[1] ? { view: 'volume', name: parts[1] } : { view: 'volumes' };
    case 'networks':
      return { view: 'networks' };
    case 'compose':
      return parts[1] ? { view: 'compose', project: parts[1] } : { view: 'containers' };
    case 'settings':
      return { view: 'settings' };
    case 'contexts':
      return { view: 'contexts' };
    case 'containers':
      if (parts[1]) {
        const tab = DETAIL_TABS.includes(parts[2] as DetailTab) ? (parts[2] as DetailTab) : 'logs';
        return { view: 'container', id: parts[1], tab };
      }
      return { view: 'containers' };
    default:
      return { view: 'containers' };
  }
}

export function routeToHash(route: Route): string {
  if (route.view === 'container') return `#/containers/${encodeURIComponent(route.id)}/${route.tab}`;
  if (route.view === 'image') return `#/images/${encodeURIComponent(route.ref)}`;
  if (route.view === 'volume') return `#/volumes/${encodeURIComponent(route.name)}`;
  if (route.view === 'compose') return `#/compose/${encodeURIComponent(route.project)}`;
  return `#/${route.view}`;
}

export const routerStore = createStore<{ route: Route }>(() => ({
  route: typeof location === 'undefined' ? { view: 'containers' } : parseRoute(location.hash),
}));

export function navigate(route: Route): void {
  const hash = routeToHash(route);
  if (typeof location !== 'undefined' && location.hash !== hash) location.hash = hash;
  routerStore.setState({ route });
}

export function connectRouter(): () => void {
  const onHash = () => routerStore.setState({ route: parseRoute(location.hash) });
  window.addEventListener('hashchange', onHash);
  return () => window.removeEventListener('hashchange', onHash);
}
