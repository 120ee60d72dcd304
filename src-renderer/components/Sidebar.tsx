import { useStore } from 'zustand';
import { routerStore, type Route } from '../stores/router.js';

const ITEMS: Array<{ view: Route['view']; label: string; icon: string }> = [
  { view: 'containers', label: 'Containers', icon: '▣' },
  { view: 'images', label: 'Images', icon: '◧' },
  { view: 'volumes', label: 'Volumes', icon: '⛁' },
  { view: 'networks', label: 'Networks', icon: '⋈' },
  { view: 'contexts', label: 'Engines', icon: '⇄' },
  { view: 'settings', label: 'Settings', icon: '⚙' },
];

export function Sidebar() {
  const route = useStore(routerStore, (s) => s.route);
  const active = route.view === 'container' || route.view === 'compose' ? 'containers' : route.view === 'image' ? 'images' : route.view === 'volume' ? 'volumes' : route.view;
  return (
    <nav className="sidebar" aria-label="Main">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">W</span> Wharf
      </div>
      <ul>
        {ITEMS.map((item) => (
          <li key={item.view}>
            <a className="nav-link" href={`#/${item.view}`} aria-current={active === item.view ? 'page' : undefined}>
              <span className="nav-icon" aria-hidden="true">{item.icon}</span>
              {item.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
