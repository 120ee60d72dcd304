import { useEffect, useId, useState } from 'react';
import { useSettingsStore } from '../../stores/settings-store.js';
import { formatMiB } from './format.js';
import { ApplyBar } from './ApplyBar.js';

const MAX_MINUTES = 24 * 60;

/** Settings → Resources → Resource Saver: stop the idle VM after N minutes (0 = off). */
export function ResourceSaverTab() {
  const draft = useSettingsStore((s) => s.draft);
  const engine = useSettingsStore((s) => s.engine);
  const edit = useSettingsStore((s) => s.edit);
  const id = useId();
  const minutes = draft?.resourceSaverMinutes ?? 0;
  const [text, setText] = useState(String(minutes || 5));
  useEffect(() => { if (minutes > 0) setText(String(minutes)); }, [minutes]);
  if (!draft) return null;
  const on = minutes > 0;
  const n = Number(text);
  const error = on && (!Number.isInteger(n) || n < 1 || n > MAX_MINUTES) ? `Between 1 and ${MAX_MINUTES} minutes.` : undefined;
  const rs = engine?.resourceSaver;

  return (
    <div className="settings-panel-body">
      <p className="settings-intro">
        When no container runs and no docker client is connected for a while, Wharf stops the VM so its memory goes
        back to this computer. The next docker command (or Wake in the status bar) starts it again; that command just takes longer.
      </p>
      <div className="settings-field settings-toggle">
        <input id={`${id}-on`} type="checkbox" checked={on} aria-describedby={`${id}-on-desc`}
          onChange={(e) => edit({ resourceSaverMinutes: e.target.checked ? Math.max(1, Number(text) || 5) : 0 })} />
        <div>
          <label htmlFor={`${id}-on`} className="settings-label">Enable Resource Saver</label>
          <p id={`${id}-on-desc`} className="settings-hint">Off keeps the VM running until you stop it.</p>
        </div>
      </div>
      <div className="settings-field">
        <label htmlFor={`${id}-min`} className="settings-label">Stop the VM after (minutes idle)</label>
        <input
          id={`${id}-min`}
          type="number"
          className="settings-number"
          min={1}
          max={MAX_MINUTES}
          step={1}
          disabled={!on}
          value={text}
          aria-invalid={error ? true : undefined}
          aria-describedby={`${id}-min-hint${error ? ` ${id}-min-err` : ''}`}
          onChange={(e) => {
            setText(e.target.value);
            const v = Number(e.target.value);
            // 0 here is a typo, not "off" (the checkbox is): only valid minutes reach the draft.
            if (Number.isInteger(v) && v >= 1 && v <= MAX_MINUTES) edit({ resourceSaverMinutes: v });
          }}
        />
        <p id={`${id}-min-hint`} className="settings-hint">Docker Desktop's default is 5 minutes.</p>
        {error && <p id={`${id}-min-err`} className="settings-field-error" role="alert">{error}</p>}
      </div>
      {rs && (rs.sleptAt || rs.lastWakeSeconds !== undefined) && (
        <dl className="settings-facts" aria-label="Resource Saver so far">
          {rs.sleptAt && <><dt>Last stopped</dt><dd>{new Date(rs.sleptAt).toLocaleTimeString()}{rs.memoryReturnedBytes ? `, ${formatMiB(Math.round(rs.memoryReturnedBytes / 2 ** 20))} returned` : ''}</dd></>}
          {rs.lastWakeSeconds !== undefined && <><dt>Last wake took</dt><dd>{rs.lastWakeSeconds.toFixed(1)} s</dd></>}
        </dl>
      )}
      <ApplyBar scope="resourceSaver" label="Apply" blockedReason={error ? 'Fix the value marked above first.' : undefined} shownInline={error ? ['resourceSaverMinutes'] : []} />
    </div>
  );
}
