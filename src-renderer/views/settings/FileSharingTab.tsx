import { Fragment, useId, useState, type FormEvent } from 'react';
import { useSettingsStore } from '../../stores/settings-store.js';
import { ApplyBar } from './ApplyBar.js';
import { describeSyncState, fileShareProblem, findSyncStatus, syncedOutsideShares, syncedShareProblem } from './format.js';
import type { FileSharingMechanism, FileSharingSetting } from '../../../src-main/core/contract/index.js';

const MECHANISMS: Array<{ value: FileSharingSetting; label: string; hint: string }> = [
  { value: 'auto', label: 'Automatic', hint: 'virtio-fs where virtiofsd is installed (Linux), 9p everywhere else.' },
  { value: 'virtiofs', label: 'virtio-fs', hint: 'Fastest; needs virtiofsd, which runs only on Linux.' },
  { value: '9p', label: '9p', hint: 'Served by QEMU itself (Linux and macOS hosts); slower on many small files.' },
];

const MECHANISM_LABEL: Record<FileSharingMechanism, string> = { virtiofs: 'virtio-fs', '9p': '9p', none: 'none' };

/** A path that wraps after its separators before anywhere else. */
function BreakablePath({ path }: { path: string }) {
  const parts = path.split(/(?<=[\\/])/);
  return <>{parts.map((part, i) => <Fragment key={i}>{part}{i < parts.length - 1 && <wbr />}</Fragment>)}</>;
}

/**
 * A path form checked in two steps, the same for shared and synchronized
 * folders: the local check, then the core's, then the accepted path is added.
 */
function useCheckedPathForm() {
  const [value, setValue] = useState('');
  const [error, setError] = useState<string>();
  const [checking, setChecking] = useState(false);
  const change = (v: string) => { setValue(v); setError(undefined); };
  const submit = async (e: FormEvent, checks: { local: (p: string) => string | undefined; core: (p: string) => Promise<string | undefined>; accept: (p: string) => void }) => {
    e.preventDefault();
    const candidate = value.trim();
    const local = checks.local(candidate);
    if (local) {
      setError(local);
      return;
    }
    setChecking(true);
    const reason = await checks.core(candidate);
    setChecking(false);
    if (reason) {
      setError(reason);
      return;
    }
    setError(undefined);
    setValue('');
    checks.accept(candidate);
  };
  return { value, error, checking, change, submit };
}

export function FileSharingTab() {
  const host = useSettingsStore((s) => s.host);
  const engine = useSettingsStore((s) => s.engine);
  const settings = useSettingsStore((s) => s.settings);
  const draft = useSettingsStore((s) => s.draft);
  const edit = useSettingsStore((s) => s.edit);
  const checkFileShare = useSettingsStore((s) => s.checkFileShare);
  const checkSyncedShare = useSettingsStore((s) => s.checkSyncedShare);
  const id = useId();
  const shareForm = useCheckedPathForm();
  const syncForm = useCheckedPathForm();
  const { value: path, error, checking } = shareForm;
  const { value: syncPath, error: syncError, checking: syncChecking } = syncForm;
  if (!host || !settings || !draft) return null;

  const shares = draft.fileShares;
  // QEMU for Windows has neither virtio-fs nor 9p; only the WSL 2 engine shares folders there.
  const noSharing = host.platform === 'win32' && draft.backend === 'qemu';
  const inUse = engine?.vm.state === 'running' ? engine.fileSharing : undefined;
  const onAdd = (e: FormEvent) => shareForm.submit(e, {
    local: (p) => fileShareProblem(p, shares, host.platform),
    core: checkFileShare,
    accept: (p) => edit({ fileShares: [...shares, p] }),
  });

  const synced = draft.syncedShares;
  // Removing a shared directory does not remove the synchronized folders in it: the user does, and Apply waits.
  const outside = syncedOutsideShares(synced, shares, host.platform);
  const vmRunning = engine?.vm.state === 'running';
  const onAddSynced = (e: FormEvent) => syncForm.submit(e, {
    local: (p) => syncedShareProblem(p, synced, shares, host.platform),
    core: checkSyncedShare,
    accept: (p) => edit({ syncedShares: [...synced, p] }),
  });

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
            onChange={(e) => shareForm.change(e.target.value)}
          />
          <button type="submit" className="settings-btn" disabled={checking}>{checking ? 'Checking…' : 'Add'}</button>
        </div>
        {error
          ? <p id={`${id}-err`} className="settings-field-error" role="alert">{error}</p>
          : <p id={`${id}-hint`} className="settings-hint">Type the absolute path of an existing directory on this computer.</p>}
      </form>
      <h3 className="settings-subhead settings-synced-head" id={`${id}-synced`}>Synchronized folders</h3>
      <p className="settings-intro">
        A synchronized folder is copied onto the VM&apos;s disk and kept in two-way sync with this computer, so containers
        that bind-mount it work at disk speed: much faster than the shared directory for trees of many small files,
        like <code>node_modules</code> or a build. If a file changed on both sides, this computer&apos;s version wins.
        The copy takes space on the VM&apos;s disk, and until the first copy is done, docker refuses to start a container that mounts the folder (with a message saying so).
      </p>
      <p className="settings-intro">
        A <code>.syncignore</code> file at the folder&apos;s root, written like a <code>.gitignore</code>, names what stays on
        one side only: for example <code>node_modules/</code>, so what a container installs stays in the VM.
      </p>
      {outside.length > 0 && (
        <p className="settings-field-error settings-synced-outside" role="alert" data-testid="synced-outside-shares">
          {outside.length === 1 ? <><code>{outside[0]}</code> is</> : <>{outside.length} synchronized folders (marked below) are</>}
          {' '}no longer inside a shared directory, and the VM reaches a synchronized folder only through one.
          Stop syncing {outside.length === 1 ? 'it' : 'them'} too, or add back a shared directory that contains {outside.length === 1 ? 'it' : 'them'}.
        </p>
      )}
      {synced.length === 0
        ? <p className="settings-muted">No folder is synchronized: bind mounts use the shared directories directly.</p>
        : (
          <div className="settings-synced-wrap">
            <table className="data settings-synced" aria-labelledby={`${id}-synced`}>
              <thead>
                <tr>
                  <th scope="col">Folder</th>
                  <th scope="col">State</th>
                  <th scope="col" className="actions"><span className="visually-hidden">Actions</span></th>
                </tr>
              </thead>
              <tbody>
                {synced.map((p) => {
                  const isOutside = outside.includes(p);
                  const view = describeSyncState(findSyncStatus(p, engine?.syncedShares, host.platform), vmRunning);
                  return (
                    <tr key={p}>
                      <td className="settings-synced-path">
                        <code><BreakablePath path={p} /></code>
                        {!settings.syncedShares.includes(p) && <>{' '}<span className="settings-badge">new</span></>}
                      </td>
                      <td className={`settings-synced-state settings-sync-${isOutside ? 'error' : view.tone}`}>
                        {isOutside
                          ? <span>Not inside a shared directory</span>
                          : (
                            <>
                              <span className="settings-synced-line">
                                {view.tone === 'ok' && <span className="settings-sync-dot" aria-hidden="true" />}
                                {view.text}
                              </span>
                              {view.tone === 'busy' && <progress aria-label={`Copying ${p} into the VM`} />}
                              {view.note && <span className="settings-hint settings-synced-note">{view.note}</span>}
                            </>
                          )}
                      </td>
                      <td className="actions">
                        <button
                          type="button"
                          className="settings-btn small"
                          aria-label={`Stop syncing ${p}`}
                          onClick={() => edit({ syncedShares: synced.filter((s) => s !== p) })}
                        >Remove</button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      <form className="settings-field settings-share-add" onSubmit={(e) => void onAddSynced(e)} noValidate>
        <label htmlFor={`${id}-sync-path`} className="settings-label">Folder to synchronize</label>
        <div className="settings-row">
          <input
            id={`${id}-sync-path`}
            type="text"
            className="settings-text"
            spellCheck={false}
            autoComplete="off"
            placeholder={host.platform === 'win32' ? 'C:\\Users\\you\\src\\app' : '/home/you/src/app'}
            value={syncPath}
            aria-invalid={syncError ? true : undefined}
            aria-describedby={syncError ? `${id}-sync-err` : `${id}-sync-hint`}
            onChange={(e) => syncForm.change(e.target.value)}
          />
          <button type="submit" className="settings-btn" disabled={syncChecking}>{syncChecking ? 'Checking…' : 'Sync folder'}</button>
        </div>
        {syncError
          ? <p id={`${id}-sync-err`} className="settings-field-error" role="alert">{syncError}</p>
          : <p id={`${id}-sync-hint`} className="settings-hint">An existing folder inside one of the shared directories above, such as a project folder.</p>}
      </form>
      <ApplyBar
        scope="fileSharing"
        shownInline={[]}
        blockedReason={outside.length ? 'Stop syncing the folders that are no longer inside a shared directory first.' : undefined}
      />
    </div>
  );
}
