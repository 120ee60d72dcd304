import { useId, useRef } from 'react';
import { useSettingsStore } from '../../stores/settings-store.js';
import { ApplyBar } from './ApplyBar.js';
import { lineNumbers } from './format.js';

export function EngineTab() {
  const text = useSettingsStore((s) => s.daemonText);
  const check = useSettingsStore((s) => s.daemonCheck);
  const draft = useSettingsStore((s) => s.draft);
  const engine = useSettingsStore((s) => s.engine);
  const setDaemonText = useSettingsStore((s) => s.setDaemonText);
  const id = useId();
  const gutter = useRef<HTMLPreElement>(null);
  if (!draft) return null;

  const invalid = check.state === 'invalid';
  const blockedReason = check.state === 'checking'
    ? 'Checking daemon.json…'
    : invalid ? 'Fix the errors in daemon.json first; an invalid file never reaches the engine.' : undefined;

  return (
    <div className="settings-panel-body">
      <p className="settings-intro">
        Configure the Docker daemon in the VM with its <code>daemon.json</code>. Applying restarts the engine;
        if dockerd refuses the file, Wharf puts the previous one back and shows dockerd’s error here.
        {engine?.versions.docker ? ` Engine version ${engine.versions.docker}.` : ''}
      </p>
      <div className="settings-field">
      <label htmlFor={`${id}-json`} className="settings-label">daemon.json</label>
      <div className={`settings-editor${invalid ? ' settings-editor-invalid' : ''}`}>
        <pre ref={gutter} className="settings-gutter" aria-hidden="true">{lineNumbers(text)}</pre>
        <textarea
          id={`${id}-json`}
          className="settings-code"
          spellCheck={false}
          autoCapitalize="off"
          autoComplete="off"
          wrap="off"
          value={text}
          aria-invalid={invalid ? true : undefined}
          aria-describedby={`${id}-check`}
          onChange={(e) => setDaemonText(e.target.value)}
          onScroll={(e) => { if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop; }}
        />
      </div>
      </div>
      <div id={`${id}-check`} className="settings-validation">
        {check.state === 'checking' && <span className="settings-muted" role="status">Checking…</span>}
        {check.state === 'valid' && <span className="settings-ok" role="status">Valid daemon.json.</span>}
        {invalid && (
          <ul className="settings-errors" role="alert" aria-label="daemon.json errors">
            {check.errors.map((e) => <li key={e}>{e}</li>)}
          </ul>
        )}
      </div>
      <ApplyBar scope="engine" blockedReason={blockedReason} />
    </div>
  );
}
