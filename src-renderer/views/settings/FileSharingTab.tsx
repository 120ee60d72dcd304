import { useId, useState, type FormEvent } from 'react';
import { useSettingsStore } from '../../stores/settings-store.js';
import { ApplyBar } from './ApplyBar.js';
import { fileShareProblem } from './format.js';
import type { FileSharingMechanism, FileSharingSetting } from '../../../src-main/core/contract/index.js';

const MECHANISMS: Array<{ value: FileSharingSetting; label: string; hint: string }> = [
  { value: 'auto', label: 'Automatic', hint: 'virtio-fs where virtiofsd is installed (Linux), 9p everywhere else.' },
  { value: 'virtiofs', label: 'virtio-fs', hint: 'Fastest; needs virtiofsd, which runs only on Linux.' },
  { value: '9p', label: '9p', hint: 'Served by QEMU itself (Linux and macOS hosts); slower on many small files.' },
];

const MECHANISM_LABEL: Record<FileSharingMechanism, string> = { virtiofs: 'virtio-fs', '9p': '9p', none: 'none' };

export function FileSharingTab() {
  const host = useSettingsStore((s) => s.host);
  const engine = useSettingsStore((s) => s.engine);
  const settings = useSettingsStore((s) => s.settings);
  const draft = useSettingsStore((s) => s.draft);
  const edit = useSettingsStore((s) => s.edit);
  const checkFileShare = useSettingsStore((s) => s.checkFileShare);
  const id = useId();
  const [path, setPath] = useState('');
  const [error, setError] = useState<string>();
  const [checking, setChecking] = useState(false);
  if (!host || !settings || !draft) return null;

  const shares = draft.fileShares;
  // QEMU for Windows has neither virtio-fs nor 9p; only the WSL 2 engine shares folders there.
  const noSharing = host.platform === 'win32' && draft.backend === 'qemu';
  const inUse = engine?.vm.state === 'running' ? engine.fileSharing : undefined;
  const onAdd = async (e: FormEvent) => {
    e.preventDefault();
    const candidate = path.trim();
    const local = fileShareProblem(candidate, shares, host.platform);
    if (local) {
      setError(local);
      return;
    }
    setChecking(true);
    const reason = await checkFileShare(candidate);
    setChecking(false);
    if (reason) {
      setError(reason);
      return;
    }
    setError(undefined);
    setPath('');
    edit({ fileShares: [...shares, candidate] });
  };

  if (noSharing) {
    return (
      <div className="settings-panel-body">
        <p className="settings-intro" role="status">
          The QEMU engine cannot share folders on Windows: QEMU for Windows has neither virtio-fs nor 9p.
          Bind mounts of host paths will be empty directories. To share folders, turn on
          {' '}<strong>Use the WSL 2 based engine</strong> in the Virtual machine tab.
        </p>
      </div>
    );
  }

  return (
    <div className="settings-panel-body">
      <p className="settings-intro">
        These host directories are shared into the VM at the same path, so <code>docker run -v /path:/path</code> works for them.
        Keep the list short: every shared directory is watched.
      </p>
      {inUse && (
        <p className="settings-hint" data-testid="file-sharing-in-use">
          In use now: <strong>{MECHANISM_LABEL[inUse.mechanism]}</strong> ({inUse.reason})
        </p>
      )}
      <fieldset className="settings-field settings-choices">
        <legend className="settings-label">Sharing mechanism</legend>
        {MECHANISMS.map((m) => {
          const unavailable = m.value === 'virtiofs' && host.platform !== 'linux';
          return (
            <div key={m.value} className={`settings-choice${unavailable ? ' settings-choice-disabled' : ''}`}>
              <input
                id={`${id}-mech-${m.value}`}
                type="radio"
                name={`${id}-mechanism`}
                value={m.value}
                checked={draft.fileSharing === m.value}
                disabled={unavailable}
                aria-describedby={`${id}-mech-${m.value}-desc`}
                onChange={() => edit({ fileSharing: m.value })}
              />
              <div>
                <label htmlFor={`${id}-mech-${m.value}`}>{m.label}</label>
                <p id={`${id}-mech-${m.value}-desc`} className={unavailable ? 'settings-hint settings-unavailable' : 'settings-hint'}>
                  {unavailable ? 'Not available on this computer: virtiofsd runs only on Linux.' : m.hint}
                </p>
              </div>
            </div>
          );
        })}
      </fieldset>
      <h3 className="settings-subhead" id={`${id}-list`}>Shared directories</h3>
      {shares.length === 0
        ? <p className="settings-muted">Nothing is shared. Bind mounts of host paths will be empty directories.</p>
        : (
          <ul className="settings-share-list" aria-labelledby={`${id}-list`}>
            {shares.map((p) => (
              <li key={p} className="settings-share">
                <code className="settings-share-path">{p}</code>
                {!settings.fileShares.includes(p) && <span className="settings-badge">new</span>}
                <button
                  type="button"
                  className="settings-btn small"
                  aria-label={`Remove ${p}`}
                  onClick={() => edit({ fileShares: shares.filter((s) => s !== p) })}
                >Remove</button>
              </li>
            ))}
          </ul>
        )}
      <form className="settings-field settings-share-add" onSubmit={(e) => void onAdd(e)} noValidate>
        <label htmlFor={`${id}-path`} className="settings-label">Add a host directory</label>
        <div className="settings-row">
          <input
            id={`${id}-path`}
            type="text"
            className="settings-text"
            spellCheck={false}
            autoComplete="off"
            placeholder={host.platform === 'win32' ? 'C:\\Users\\you\\src' : '/home/you/src'}
            value={path}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-err` : `${id}-hint`}
            onChange={(e) => { setPath(e.target.value); setError(undefined); }}
          />
          <button type="submit" className="settings-btn" disabled={checking}>{checking ? 'Checking…' : 'Add'}</button>
        </div>
        {error
          ? <p id={`${id}-err`} className="settings-field-error" role="alert">{error}</p>
          : <p id={`${id}-hint`} className="settings-hint">Type the absolute path of an existing directory on this computer.</p>}
      </form>
      <ApplyBar scope="fileSharing" shownInline={[]} />
    </div>
  );
}
