import { useState, type ReactNode } from 'react';
import type { DiagnosticsResult } from '../../../src-main/core/contract/index.js';
import { useSettingsStore, type Op } from '../../stores/settings-store.js';
import { Dialog } from '../../components/Dialog.js';
import { formatBytes } from '../../util/format.js';

function Row({ title, description, children }: { title: string; description: ReactNode; children: ReactNode }) {
  return (
    <section className="settings-trouble-row" aria-label={title}>
      <div className="settings-trouble-text">
        <h3 className="settings-subhead">{title}</h3>
        <p className="settings-hint">{description}</p>
      </div>
      <div className="settings-trouble-action">{children}</div>
    </section>
  );
}

function OpError({ op }: { op: Op }) {
  if (op.state !== 'error' || !op.error) return null;
  return <p className="settings-field-error" role="alert"><strong>{op.error.name}:</strong> {op.error.message}</p>;
}

export function TroubleshootTab() {
  const actions = useSettingsStore((s) => s.actions);
  const engine = useSettingsStore((s) => s.engine);
  const restartEngine = useSettingsStore((s) => s.restartEngine);
  const collectDiagnostics = useSettingsStore((s) => s.collectDiagnostics);
  const cleanData = useSettingsStore((s) => s.cleanData);
  const factoryReset = useSettingsStore((s) => s.factoryReset);
  const [dialog, setDialog] = useState<'clean' | 'reset'>();

  const { restart, collect, cleanData: clean, factoryReset: reset } = actions;
  const diag = collect.state === 'done' ? collect.result as DiagnosticsResult : undefined;
  const context = engine?.dockerContext ?? 'wharf';

  return (
    <div className="settings-panel-body">
      <Row title="Restart the engine" description="Restarts the Docker engine and the VM. Running containers stop; those with a restart policy come back.">
        <button type="button" className="settings-btn" disabled={restart.state === 'running'} onClick={() => void restartEngine()}>
          {restart.state === 'running' ? 'Restarting…' : 'Restart'}
        </button>
        {restart.state === 'running' && <p role="status" className="settings-muted">Restarting the engine…</p>}
        {restart.state === 'done' && <p role="status" className="settings-ok">Restarted. The engine is {engine?.vm.state ?? 'back'}.</p>}
        <OpError op={restart} />
      </Row>

      <Row title="Collect diagnostics" description="Gathers logs, settings and versions into one archive you can attach to a bug report. Nothing is sent anywhere.">
        <button type="button" className="settings-btn" disabled={collect.state === 'running'} onClick={() => void collectDiagnostics()}>
          {collect.state === 'running' ? 'Collecting…' : 'Collect diagnostics'}
        </button>
        {collect.state === 'running' && <p role="status" className="settings-muted">Collecting diagnostics…</p>}
        {diag && (
          <div role="status" className="settings-diag">
            <p>Saved {formatBytes(diag.bytes)} ({diag.files.length} files) to:</p>
            <code className="settings-path" data-testid="diagnostics-path">{diag.archivePath}</code>
          </div>
        )}
        <OpError op={collect} />
      </Row>

      <Row title="Clean / purge data" description="Deletes every container, image and volume in the engine. Your settings are kept.">
        <button type="button" className="settings-btn danger" disabled={clean.state === 'running'} onClick={() => setDialog('clean')}>
          {clean.state === 'running' ? 'Cleaning…' : 'Clean / purge data'}
        </button>
        {clean.state === 'done' && <p role="status" className="settings-ok">All containers, images and volumes were removed.</p>}
        <OpError op={clean} />
      </Row>

      <Row title="Reset to factory defaults" description="Deletes the VM and everything in it and puts every setting back to its default.">
        <button type="button" className="settings-btn danger" disabled={reset.state === 'running'} onClick={() => setDialog('reset')}>
          {reset.state === 'running' ? 'Resetting…' : 'Reset to factory defaults'}
        </button>
        {reset.state === 'done' && <p role="status" className="settings-ok">Reset done. Wharf is back to its defaults.</p>}
        <OpError op={reset} />
      </Row>

      {dialog === 'clean' && (
        <Dialog
          open
          title="Clean / purge data?"
          onClose={() => setDialog(undefined)}
          actions={(
            <>
              <button type="button" className="settings-btn" onClick={() => setDialog(undefined)}>Cancel</button>
              <button type="button" className="settings-btn danger" onClick={() => { setDialog(undefined); void cleanData(); }}>Delete all data</button>
            </>
          )}
        >
          <p>This deletes, and cannot be undone:</p>
          <ul>
            <li>every container, running or stopped</li>
            <li>every image</li>
            <li>every volume, with the data in it</li>
          </ul>
          <p>Your settings, shared directories and the docker context stay.</p>
        </Dialog>
      )}
      {dialog === 'reset' && (
        <Dialog
          open
          title="Reset to factory defaults?"
          onClose={() => setDialog(undefined)}
          actions={(
            <>
              <button type="button" className="settings-btn" onClick={() => setDialog(undefined)}>Cancel</button>
              <button type="button" className="settings-btn danger" onClick={() => { setDialog(undefined); void factoryReset(); }}>Reset everything</button>
            </>
          )}
        >
          <p>This stops the engine and deletes, and cannot be undone:</p>
          <ul>
            <li>the VM</li>
            <li>its disk, with every container, image and volume on it</li>
            <li>the certificates Wharf made for the engine</li>
            <li>your settings (resources, shared directories, daemon.json)</li>
            <li>the docker context “{context}”</li>
          </ul>
          <p>Wharf then starts fresh, as on first install.</p>
        </Dialog>
      )}
    </div>
  );
}
