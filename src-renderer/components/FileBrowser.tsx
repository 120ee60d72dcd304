import { useCallback, useEffect, useRef, useState } from 'react';
import type { DirListing, FileEntry, FileTarget } from '../../src-main/core/contract/index.js';
import { getApi } from '../ipc/index.js';
import { downloadFile, saveBytes, uploadFile } from '../stores/file-transfer.js';
import { toErrorInfo, type ErrorInfo } from '../stores/resource-store.js';
import { formatBytes } from '../util/format.js';
import { EmptyState, ErrorBox, LoadingState } from './States.js';
import { runAction, showToast } from './Toasts.js';

function modeString(e: FileEntry): string {
  const t = e.type === 'dir' ? 'd' : e.type === 'symlink' ? 'l' : '-';
  let s = '';
  for (let i = 8; i >= 0; i--) s += e.mode & (1 << i) ? 'rwx'[(8 - i) % 3] : '-';
  return t + s;
}

export function joinPath(dir: string, name: string): string {
  return dir === '/' ? `/${name}` : `${dir}/${name}`;
}

export function parentPath(dir: string): string {
  const i = dir.lastIndexOf('/');
  return i <= 0 ? '/' : dir.slice(0, i);
}

/**
 * A file browser over the engine's archive API, for a container or a volume:
 * folders open on click, files download, and a file from this computer
 * uploads into the folder shown (with a progress bar).
 */
export function FileBrowser({ target, label }: { target: FileTarget; label: string }) {
  const [dir, setDir] = useState('/');
  const [listing, setListing] = useState<DirListing | undefined>();
  const [error, setError] = useState<ErrorInfo | undefined>();
  const [loading, setLoading] = useState(false);
  const [upload, setUpload] = useState<{ name: string; sent: number; size: number } | undefined>();
  const input = useRef<HTMLInputElement>(null);
  const seq = useRef(0);
  const targetKey = target.kind === 'container' ? target.id : target.name;

  const load = useCallback(async (path: string) => {
    const mine = ++seq.current;
    setLoading(true);
    try {
      const l = await getApi().files.list(target, path);
      if (mine !== seq.current) return;
      setListing(l);
      setError(undefined);
      setDir(path);
    } catch (err) {
      if (mine === seq.current) setError(toErrorInfo(err));
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  }, [target.kind, targetKey]);

  useEffect(() => { void load('/'); }, [load]);

  const download = (e: FileEntry) => void runAction(`Download ${e.name}`, async () => {
    const { name, bytes } = await downloadFile(target, joinPath(dir, e.name));
    saveBytes(name, bytes);
  });

  const onPick = async (files: FileList | null) => {
    const file = files?.[0];
    if (!file) return;
    setUpload({ name: file.name, sent: 0, size: file.size });
    const ok = await runAction(`Upload ${file.name}`, () => uploadFile(target, dir, file, (sent) => setUpload({ name: file.name, sent, size: file.size })));
    setUpload(undefined);
    if (input.current) input.current.value = '';
    if (ok) showToast('info', `Uploaded ${file.name} to ${dir}.`);
    void load(dir);
  };

  const crumbs = dir === '/' ? [] : dir.slice(1).split('/');
  const pct = upload ? (upload.size ? Math.round((upload.sent / upload.size) * 100) : 100) : 0;
  return (
    <div className="file-browser">
      <div className="toolbar">
        <nav aria-label={`Path in ${label}`} className="path-crumbs">
          <button type="button" className="small" onClick={() => void load('/')} aria-label="Go to the root folder">/</button>
          {crumbs.map((c, i) => {
            const p = '/' + crumbs.slice(0, i + 1).join('/');
            return (
              <span key={p}>
                <button type="button" className="small link" onClick={() => void load(p)} aria-current={p === dir ? 'location' : undefined}>{c}</button>
                {i < crumbs.length - 1 && <span aria-hidden="true"> / </span>}
              </span>
            );
          })}
        </nav>
        <span className="spacer" />
        {loading && <span className="spinner" role="status" aria-label="Loading folder" />}
        <button type="button" className="small" onClick={() => void load(parentPath(dir))} disabled={dir === '/'}>Up</button>
        <button type="button" className="small" onClick={() => void load(dir)}>Refresh</button>
        <input ref={input} type="file" className="visually-hidden" aria-label={`File to upload to ${dir}`} tabIndex={-1} onChange={(e) => void onPick(e.target.files)} />
        <button type="button" className="small primary" disabled={upload !== undefined} onClick={() => input.current?.click()}>Upload file…</button>
      </div>
      {upload && (
        <div className="upload-row">
          <span className="mono">{upload.name}</span>
          <div className="progress" role="progressbar" aria-label={`Uploading ${upload.name}`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}><span style={{ width: `${pct}%` }} /></div>
          <span className="muted">{formatBytes(upload.sent)} / {formatBytes(upload.size)}</span>
        </div>
      )}
      {error && <ErrorBox error={error} what={dir} onRetry={() => void load(dir)} />}
      {!listing && loading && <LoadingState label="Reading files…" />}
      {listing?.truncated && <p className="muted" role="note">This folder tree is very large: the listing stopped early and may miss entries.</p>}
      {listing && listing.entries.length === 0 && <EmptyState title="Empty folder">Upload a file into {listing.path}.</EmptyState>}
      {listing && listing.entries.length > 0 && (
        <div className="table-wrap">
          <table className="data" aria-label={`Files in ${listing.path}`}>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col" className="num">Size</th>
                <th scope="col">Modified</th>
                <th scope="col">Mode</th>
                <th scope="col" className="actions"><span className="visually-hidden">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {listing.entries.map((e) => (
                <tr key={e.name}>
                  <td className="name-cell mono">
                    {e.type === 'dir' ? (
                      <button type="button" className="link" onClick={() => void load(joinPath(listing.path, e.name))} aria-label={`Open folder ${e.name}`}>
                        <span className="folder-icon" aria-hidden="true" />{e.name}/
                      </button>
                    ) : (
                      <span>{e.name}{e.linkTarget ? <span className="muted"> → {e.linkTarget}</span> : null}</span>
                    )}
                  </td>
                  <td className="num">{e.type === 'file' ? formatBytes(e.size) : <span className="muted">—</span>}</td>
                  <td>{e.mtime ? new Date(e.mtime * 1000).toLocaleString() : '—'}</td>
                  <td className="mono">{modeString(e)}</td>
                  <td className="actions">
                    {e.type === 'file' && <button type="button" className="small" aria-label={`Download ${e.name}`} onClick={() => download(e)}>Download</button>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
