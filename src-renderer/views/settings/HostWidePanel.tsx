import { useEffect, useId, useState } from 'react';
import type { HostWideResources } from '../../../src-main/core/contract/index.js';
import { useSettingsStore } from '../../stores/settings-store.js';

/** "C:\Users\ada\.wslconfig" -> ".wslconfig", for button text; the full path is shown beside it. */
function baseName(file: string): string {
  return file.split(/[\\/]/).pop() || file;
}

function current(info: HostWideResources): string {
  const c = info.current;
  if (!info.exists) return 'The file does not exist yet, so the backend uses its own defaults.';
  const part = (label: string, v?: string) => `${label} ${v ?? 'not set (default)'}`;
  return `Now in the file: ${part('processors', c.cpus)}, ${part('memory', c.memory)}, ${part('swap', c.swap)}.`;
}

/** Says first, before any slider, whose values these are. */
export function HostWideNote({ info }: { info: HostWideResources }) {
  return (
    <div className="settings-hostwide-note" role="note" data-testid="hostwide-note">
      <p>
        <strong>CPUs, memory and swap are not Wharf's own with this engine.</strong> They live in{' '}
        <code>{info.file}</code> and apply to {info.sharedWith}.
      </p>
      <p className="settings-hint">{current(info)}</p>
    </div>
  );
}

/**
 * The footer of Resources under a backend whose CPU and memory limits are the
 * host's (WSL 2's .wslconfig, shared by every distro). The file is written
 * only after the user ticks the consent box; a backup is kept; and the user is
 * told honestly what makes the values take effect, since Wharf does not stop
 * what other programs run.
 */
export function HostWideApply({ info, blockedReason }: { info: HostWideResources; blockedReason?: string }) {
  const id = useId();
  const write = useSettingsStore((s) => s.hostWideWrite);
  const writeHostWide = useSettingsStore((s) => s.writeHostWide);
  const draft = useSettingsStore((s) => s.draft);
  const [consent, setConsent] = useState(false);
  // A new set of values needs a new yes.
  useEffect(() => { setConsent(false); }, [draft?.cpus, draft?.memory, draft?.swap]);
  const name = baseName(info.file);
  const running = write.state === 'running';

  return (
    <>
      <div className="settings-field settings-toggle">
        <input
          id={`${id}-consent`}
          type="checkbox"
          checked={consent}
          aria-describedby={`${id}-consent-desc`}
          onChange={(e) => setConsent(e.target.checked)}
        />
        <div>
          <label htmlFor={`${id}-consent`} className="settings-label">Let Wharf change {name}</label>
          <p id={`${id}-consent-desc`} className="settings-hint">
            Only processors, memory and swap in its [wsl2] section change. Every other setting and comment stays,
            and the old file is kept as a backup next to it.
          </p>
        </div>
      </div>
      <div className="settings-applybar">
        <div className="settings-applybar-info" aria-live="polite">
          {blockedReason && <span className="settings-muted">{blockedReason}</span>}
          {write.state === 'done' && write.result && (
            <span className="settings-ok" role="status" data-testid="hostwide-result">
              {write.result.changed
                ? <>Wrote processors={write.result.written.cpus}, memory={write.result.written.memory}, swap={write.result.written.swap}.{write.result.backup && <> The previous file is saved as <code>{write.result.backup}</code>.</>}</>
                : <>{name} already has these values; nothing was written.</>}
            </span>
          )}
          {write.state === 'error' && write.error && <div className="settings-error" role="alert">{write.error.message}</div>}
          <span id={`${id}-effect`} className="settings-hint" data-testid="hostwide-effect">{info.takesEffect}</span>
        </div>
        <div className="settings-applybar-buttons">
          <button
            type="button"
            className="settings-btn primary"
            disabled={!consent || running || blockedReason !== undefined}
            aria-describedby={`${id}-effect`}
            onClick={() => void writeHostWide(consent).then((ok) => { if (ok) setConsent(false); })}
          >
            {running ? 'Writing…' : `Write to ${name}`}
          </button>
        </div>
      </div>
    </>
  );
}
