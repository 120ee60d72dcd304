import { useEffect } from 'react';
import { useStore } from 'zustand';
import { ConfirmHost } from './components/Confirm.js';
import { ConnectionBanner } from './components/ConnectionBanner.js';
import { StatusBar } from './components/EngineStatus.js';
import { Sidebar } from './components/Sidebar.js';
import { Toasts } from './components/Toasts.js';
import { connectConnectionEvents } from './stores/connection-store.js';
import { connectEngineEvents } from './stores/engine-store.js';
import { connectRouter, routerStore } from './stores/router.js';
import { ContainerDetail } from './views/containers/ContainerDetail.js';
import { ContainersView } from './views/containers/ContainersView.js';
import { ImagesView } from './views/images/ImagesView.js';
import SettingsView from './views/settings/SettingsView.js';
import { VolumesView } from './views/volumes/VolumesView.js';
import { VolumeDetail } from './views/volumes/VolumeDetail.js';
import { ImageDetail } from './views/images/ImageDetail.js';
import { NetworksView } from './views/networks/NetworksView.js';
import { ComposeView } from './views/compose/ComposeView.js';
import { ContextsView } from './views/contexts/ContextsView.js';

export function App() {
  const route = useStore(routerStore, (s) => s.route);
  useEffect(() => {
    const offs = [connectRouter(), connectConnectionEvents(), connectEngineEvents()];
    return () => offs.forEach((off) => off());
  }, []);
  useEffect(() => {
    const titles = { containers: 'Containers', container: 'Container', images: 'Images', image: 'Image', volumes: 'Volumes', volume: 'Volume', networks: 'Networks', compose: 'Compose project', contexts: 'Engines', settings: 'Settings' } as const;
    document.title = `${titles[route.view]} · Wharf`;
  }, [route.view]);
  return (
    <div className="app">
      <a className="skip-link" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>Skip to content</a>
      <ConnectionBanner />
      <div className="app-body">
        <Sidebar />
        <main id="main" className="content" tabIndex={-1}>
          {route.view === 'containers' && <ContainersView />}
          {route.view === 'container' && <ContainerDetail id={route.id} tab={route.tab} />}
          {route.view === 'images' && <ImagesView />}
          {route.view === 'image' && <ImageDetail imageRef={route.ref} />}
          {route.view === 'volumes' && <VolumesView />}
          {route.view === 'volume' && <VolumeDetail name={route.name} />}
          {route.view === 'networks' && <NetworksView />}
          {route.view === 'compose' && <ComposeView project={route.project} />}
          {route.view === 'contexts' && <ContextsView />}
          {route.view === 'settings' && <SettingsView />}
        </main>
      </div>
      <StatusBar />
      <ConfirmHost />
      <Toasts />
    </div>
  );
}
