import type { DashboardKeyProtocol, DashboardPageKeyParam, DashboardWsProtocol } from '../../src-main/core/contract/index.js';

/*
 * The dashboard's page key: handed over once in the sign-in redirect's URL
 * fragment (which no server ever sees), kept in this origin's storage (which
 * pages on other ports cannot read), and offered on every WebSocket
 * handshake. The compiler keeps these strings equal to the contract's.
 */
const PARAM: DashboardPageKeyParam = 'wharf-key';
const PROTOCOL: DashboardWsProtocol = 'wharf.v1';
const STORAGE_KEY = 'wharf.dashboardKey';

/** Moves a key from the URL fragment into storage and takes it out of the address bar. */
export function captureKeyFromLocation(
  loc: Pick<Location, 'hash' | 'pathname' | 'search'> = window.location,
  storage: Pick<Storage, 'setItem'> = window.localStorage,
  replaceUrl: (url: string) => void = (url) => window.history.replaceState(null, '', url),
): void {
  const params = new URLSearchParams(loc.hash.replace(/^#/, ''));
  const key = params.get(PARAM);
  if (!key) return;
  storage.setItem(STORAGE_KEY, key);
  params.delete(PARAM);
  const rest = params.toString();
  replaceUrl(`${loc.pathname}${loc.search}${rest ? `#${rest}` : ''}`);
}

/** The subprotocols to offer: ours, and the key when this page has one. */
export function dashboardProtocols(storage: Pick<Storage, 'getItem'> | null = window.localStorage): string[] {
  const key = storage?.getItem(STORAGE_KEY) ?? null;
  const keyProtocol: DashboardKeyProtocol | undefined = key ? `wharf-key.${key}` : undefined;
  return keyProtocol ? [PROTOCOL, keyProtocol] : [PROTOCOL];
}
