import { createStore } from 'zustand/vanilla';
import { getTransport } from '../ipc/index.js';
import { invalidateAll } from './resource-store.js';

export interface ConnectionState {
  /** undefined until the transport reports; Electron IPC never does (always connected). */
  connected: boolean | undefined;
  /** Whether it was ever connected: a first connect is not a "lost connection". */
  everConnected: boolean;
  /** When the connection was lost (ms since epoch). */
  lostAt: number | undefined;
  /** The dashboard session ended (revoked or expired); only a new link helps. */
  signedOut: boolean;
}

export const connectionStore = createStore<ConnectionState>(() => ({ connected: undefined, everConnected: false, lostAt: undefined, signedOut: false }));

/** Follows the dashboard socket; after a reconnect every store refetches. */
export function connectConnectionEvents(): () => void {
  const transport = getTransport();
  if (!transport.onConnectionChange) {
    connectionStore.setState({ connected: true, everConnected: true });
    return () => {};
  }
  const offSignedOut = transport.onSignedOut?.(() => connectionStore.setState({ signedOut: true })) ?? (() => {});
  const offConnection = transport.onConnectionChange((connected) => {
    const prev = connectionStore.getState();
    if (connected) {
      connectionStore.setState({ connected: true, everConnected: true, lostAt: undefined });
      if (prev.everConnected && prev.connected === false) invalidateAll();
    } else {
      connectionStore.setState({ connected: false, lostAt: prev.connected === false ? prev.lostAt : Date.now() });
    }
  });
  return () => {
    offSignedOut();
    offConnection();
  };
}
