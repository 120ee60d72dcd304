import { useId, useState, type FormEvent } from 'react';
import { useSettingsStore } from '../../stores/settings-store.js';
import { ApplyBar } from './ApplyBar.js';
import { fileShareProblem } from './format.js';

export function FileSharingTab() {
  const host = useSettingsStore((s) => s.host);
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

  return (
    <div className="settings-panel-body">
      <p className="settings-intro">
        These host directories are shared into the VM at the same path, so <code>docker run -v /path:/path</code> works for them.
        Keep the list short: every shared directory is watched.
      </p>
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
