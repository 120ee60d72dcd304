import type { ReactNode } from 'react';
import { useStore } from 'zustand';
import type { EngineStatus, VmState } from '../../src-main/core/contract/index.js';
import { currentVm, engineAction, engineLive, engineStore } from '../stores/engine-store.js';
import { useResource } from '../stores/use-resource.js';
import { formatMiB } from '../util/format.js';

const BACKEND_LABELS: Record<EngineStatus['backend'], string> = { qemu: 'QEMU', wsl: 'WSL 2', vz: 'Virtualization.framework' };

const LABELS: Record<VmState['state'], string> = {
  stopped: 'Engine stopped',
  starting: 'Engine starting',
  running: 'Engine running',
  stopping: 'Engine stopping',
  error: 'Engine error',
};

export function useEngine(): { status: EngineStatus | undefined; vm: VmState | undefined; error: string | undefined; loading: boolean } {
  const env = useResource(engineStore);
  const live = useStore(engineLive);
  return { status: env.data, vm: currentVm(env.data, live), error: env.error?.message, loading: env.loading };
}

/** The always-visible status bar: state, reason, one-click Start/Restart, VM memory. */
export function StatusBar() {
  const { status, vm, error } = useEngine();
  const action = useStore(engineLive, (s) => s.action);
  const actionError = useStore(engineLive, (s) => s.actionError);
  const boot = useStore(engineLive, (s) => s.boot);
  const state = vm?.state;
  const saver = state === 'stopped' && (vm?.resourceSaver ?? false);
  const label = saver ? 'Resource Saver' : state ? LABELS[state] : error ? 'Engine status unavailable' : 'Checking engine…';
  return (
    <footer className="statusbar" aria-label="Engine status">
      <span className="engine-state">
        <span className={`dot ${state ?? ''}`} aria-hidden="true" />
        <span role="status" data-testid="engine-state">
          {label}
          {state === 'starting' && boot ? ` (${boot.milestone}, ${Math.round(boot.fraction * 100)}%)` : ''}
        </span>
      </span>
      {state === 'error' && vm?.reason && <span className="engine-reason" title={vm.reason}>{vm.reason}</span>}
      {!state && error && <span className="engine-reason" title={error}>{error}</span>}
      {actionError && <span className="engine-reason" role="alert" title={actionError.message}>{actionError.message}</span>}
      {saver && (
        <span className="muted" title="The VM stopped after the idle time set in Settings → Resources → Resource Saver">
          VM stopped while idle{status?.resourceSaver?.memoryReturnedBytes ? `, ${formatMiB(status.resourceSaver.memoryReturnedBytes)} returned to this computer` : ''}; the next docker command wakes it
        </span>
      )}
      {(state === 'stopped' || state === 'error') && (
        <button type="button" className="small primary" disabled={action !== undefined} onClick={() => void engineAction('start')}>
          {action === 'start' ? (saver ? 'Waking…' : 'Starting…') : saver ? 'Wake engine' : 'Start engine'}
        </button>
      )}
      {status?.viewTarget && (
        <a className="muted" href="#/contexts" title={status.viewTarget.host}>Views show {status.viewTarget.context}</a>
      )}
      {(state === 'running' || state === 'error') && (
        <button type="button" className="small" disabled={action !== undefined} onClick={() => void engineAction('restart')}>
          {action === 'restart' ? 'Restarting…' : 'Restart engine'}
        </button>
      )}
      {status && status.notices.length > 0 && (
        // A full disk or an engine that stopped answering must be seen from every view, not only in Settings.
        <a className="engine-notice" href="#/settings" title={status.notices.map((n) => n.message).join('\n')}>
          <span aria-hidden="true">⚠ </span>{status.notices[0]!.message}{status.notices.length > 1 ? ` (+${status.notices.length - 1} more)` : ''}
        </a>
      )}
      <span className="spacer" />
      {status?.vmHostMemoryBytes !== undefined && state === 'running' && (
        <span title="Memory the VM uses on this computer (resident set)">VM memory {formatMiB(status.vmHostMemoryBytes)}</span>
      )}
      {status?.resources && (
        <span className="muted">{status.resources.cpus} CPUs · {formatMiB(status.resources.memoryMiB * 1024 * 1024)}</span>
      )}
      {status && <span className="muted" data-testid="engine-backend">Engine: {BACKEND_LABELS[status.backend]}</span>}
      {status?.versions.docker && <span className="muted">Docker {status.versions.docker}</span>}
      {status && <span className="muted">Wharf {status.versions.wharf}</span>}
    </footer>
  );
}

/** Shown instead of a resource view while the engine is not running. */
export function EngineGate({ children }: { children: ReactNode }) {
  const { vm, error, status } = useEngine();
  const boot = useStore(engineLive, (s) => s.boot) ?? status?.boot;
  const action = useStore(engineLive, (s) => s.action);
  const milestones = useStore(engineLive, (s) => s.milestones);
  if (!vm) {
    if (error) {
      return (
        <div className="boot" role="alert">
          <h2>Can't reach the Wharf core</h2>
          <p>{error}</p>
          <button type="button" onClick={() => void engineStore.refresh()}>Retry</button>
        </div>
      );
    }
    return (
      <div className="boot" role="status">
        <span className="spinner" aria-hidden="true" /> Checking the engine…
      </div>
    );
  }
  if (status?.viewTarget) {
    return (
      <>
        <p className="remote-banner" role="status">
          Showing the engine of docker context <strong>{status.viewTarget.context}</strong> ({status.viewTarget.host}). <a href="#/contexts">Change</a>
        </p>
        {children}
      </>
    );
  }
  if (vm.state === 'running') return <>{children}</>;
  if (vm.state === 'stopped' && vm.resourceSaver) {
    return (
      <section className="boot" aria-labelledby="saver-title">
        <h2 id="saver-title">Resource Saver</h2>
        <p>
          Nothing ran for {status?.resourceSaver?.minutes ?? 'a few'} minutes, so the VM stopped
          {status?.resourceSaver?.memoryReturnedBytes ? ` and gave ${formatMiB(status.resourceSaver.memoryReturnedBytes)} back to this computer` : ''}.
          The next docker command wakes it; so does this button.
        </p>
        <button type="button" className="primary" disabled={action !== undefined} onClick={() => void engineAction('start')}>
          {action === 'start' ? 'Waking…' : 'Wake engine'}
        </button>
      </section>
    );
  }
  if (vm.state === 'starting' || vm.state === 'stopping') {
    const fraction = vm.state === 'starting' ? (boot?.fraction ?? 0) : 0;
    const pct = Math.round(fraction * 100);
    return (
      <section className="boot" aria-labelledby="boot-title">
        <h2 id="boot-title">{vm.state === 'starting' ? 'Starting the Docker engine' : 'Stopping the Docker engine'}</h2>
        <p>
          {vm.state === 'starting'
            ? boot
              ? `Reached “${boot.milestone}” after ${Math.round(boot.elapsedSeconds)} s.`
              : 'Booting the virtual machine…'
            : 'Shutting down the virtual machine…'}
        </p>
        {vm.state === 'starting' && (
          <>
            <div className="progress" role="progressbar" aria-label="Engine start progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
              <span style={{ width: `${pct}%` }} />
            </div>
            {milestones.length > 0 && (
              <ol className="milestones" aria-label="Boot milestones reached">
                {milestones.map((m, i) => (
                  <li key={m} className={i < milestones.length - 1 || (boot?.fraction ?? 0) >= 1 ? 'reached' : 'current'}>
                    <span aria-hidden="true">{i < milestones.length - 1 ? '✓ ' : '● '}</span>{m}
                  </li>
                ))}
              </ol>
            )}
            <p className="sub">The first start prepares the VM's disk and takes longer.</p>
          </>
        )}
      </section>
    );
  }
  return (
    <section className="boot" aria-labelledby="stopped-title">
      <h2 id="stopped-title">{vm.state === 'error' ? 'The Docker engine failed' : 'The Docker engine is stopped'}</h2>
      <p>{vm.state === 'error' ? vm.reason ?? 'No reason was given.' : 'Start it to see your containers, images and volumes.'}</p>
      <button type="button" className="primary" disabled={action !== undefined} onClick={() => void engineAction('start')}>
        {action === 'start' ? 'Starting…' : 'Start engine'}
      </button>
    </section>
  );
}
