import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { connectionStore } from '../stores/connection-store.js';

/** The dashboard's socket to the core dropped (or never came up). */
export function ConnectionBanner() {
  const { connected, everConnected } = useStore(connectionStore);
  const [grace, setGrace] = useState(true);
  useEffect(() => {
    const t = setTimeout(() => setGrace(false), 2000);
    return () => clearTimeout(t);
  }, []);
  if (connected !== false) return null;
  if (everConnected) {
    return (
      <div className="banner error" role="alert">
        <span className="spinner" aria-hidden="true" /> Lost the connection to Wharf. Reconnecting… (is <code>wharf dashboard</code> still running?)
      </div>
    );
  }
  if (grace) return null;
  return (
    <div className="banner warn" role="alert">
      <span className="spinner" aria-hidden="true" /> Connecting to Wharf…
    </div>
  );
}
