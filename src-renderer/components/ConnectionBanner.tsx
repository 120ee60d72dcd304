import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { connectionStore } from '../stores/connection-store.js';

/** The dashboard's socket to the core dropped (or never came up). */
export function ConnectionBanner() {
  const { connected, everConnected, signedOut } = useStore(connectionStore);
  const [phase, setPhase] = useState<'grace' | 'waiting' | 'stuck'>('grace');
  useEffect(() => {
    const a = setTimeout(() => setPhase('waiting'), 2000);
    const b = setTimeout(() => setPhase('stuck'), 10000);
    return () => {
      clearTimeout(a);
      clearTimeout(b);
    };
  }, []);
  if (connected !== false) return null;
  if (signedOut) {
    return (
      <div className="banner error" role="alert">
        This dashboard session ended (revoked or expired). Run <code>wharf dashboard</code> and open the new link it prints.
      </div>
    );
  }
  if (everConnected) {
    return (
      <div className="banner error" role="alert">
        <span className="spinner" aria-hidden="true" /> Lost the connection to Wharf. Reconnecting… (is <code>wharf dashboard</code> still running?)
      </div>
    );
  }
  if (phase === 'grace') return null;
  return (
    <div className="banner warn" role="alert">
      <span className="spinner" aria-hidden="true" /> Connecting to Wharf…
      {phase === 'stuck' && (
        <span>
          {' '}Still trying. Is <code>wharf dashboard</code> running? A page not opened through the one-time link it
          printed is not signed in: run it again and open the new link.
        </span>
      )}
    </div>
  );
}
