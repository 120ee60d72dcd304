import { type FormEvent, useMemo, useState } from 'react';
import { useStore } from 'zustand';
import type { ImageSummary } from '../../../src-main/core/contract/index.js';
import { confirmAction } from '../../components/Confirm.js';
import { EngineGate } from '../../components/EngineStatus.js';
import { EmptyState, ErrorBox, LoadingState } from '../../components/States.js';
import { runAction, showToast } from '../../components/Toasts.js';
import { getApi } from '../../ipc/index.js';
import { dismissPull, pullsStore, startPull, type PullEntry } from '../../stores/pulls-store.js';
import { imagesStore } from '../../stores/resources.js';
import { useResource } from '../../stores/use-resource.js';
import { formatBytes, formatRelative, shortId } from '../../util/format.js';
import { RunDialog } from './RunDialog.js';
import { BuildDialog, ImageJobs, RegistryLogins, SignInDialog, TagDialog, pushImage } from './ImageTools.js';

export interface ImageRow {
  key: string;
  /** What remove/run use: repo:tag, or the id for an untagged image. */
  ref: string;
  repo: string;
  tag: string;
  image: ImageSummary;
}

/** One row per repo:tag, like `docker images`; untagged images show as <none>. */
export function imageRows(images: ImageSummary[]): ImageRow[] {
  const rows: ImageRow[] = [];
  for (const image of images) {
    const tags = image.repoTags.filter((t) => t !== '<none>:<none>');
    if (!tags.length) {
      rows.push({ key: image.id, ref: image.id, repo: '<none>', tag: '<none>', image });
      continue;
    }
    for (const t of tags) {
      const i = t.lastIndexOf(':');
      const slash = t.lastIndexOf('/');
      const hasTag = i > slash;
      rows.push({ key: `${image.id}/${t}`, ref: t, repo: hasTag ? t.slice(0, i) : t, tag: hasTag ? t.slice(i + 1) : 'latest', image });
    }
  }
  return rows.sort((a, b) => a.repo.localeCompare(b.repo) || a.tag.localeCompare(b.tag));
}

export function ImagesView() {
  return (
    <EngineGate>
      <Images />
    </EngineGate>
  );
}

function Images() {
  const { data, error, loading } = useResource(imagesStore);
  const pulls = useStore(pullsStore, (s) => s.pulls);
  const [ref, setRef] = useState('');
  const [query, setQuery] = useState('');
  const [runRef, setRunRef] = useState<string | undefined>();
  const [tagRef, setTagRef] = useState<string | undefined>();
  const [dialog, setDialog] = useState<'build' | 'signin' | undefined>();
  const rows = useMemo(() => imageRows(data ?? []), [data]);
  const q = query.trim().toLowerCase();
  const shown = q ? rows.filter((r) => `${r.repo}:${r.tag} ${r.image.id}`.toLowerCase().includes(q)) : rows;
  const total = (data ?? []).reduce((n, i) => n + i.size, 0);
  const dangling = (data ?? []).filter((i) => i.dangling).length;

  const pull = (e: FormEvent) => {
    e.preventDefault();
    const name = ref.trim();
    if (!name) return;
    void startPull(name);
    setRef('');
  };

  const remove = async (row: ImageRow) => {
    const ok = await confirmAction({
      title: `Delete image ${row.repo === '<none>' ? shortId(row.image.id) : `${row.repo}:${row.tag}`}?`,
      message: row.image.containers > 0 ? `${row.image.containers} container(s) use it: remove them first.` : 'The image is removed from the engine.',
      confirmLabel: 'Delete',
      danger: true,
    });
    if (!ok) return;
    await runAction(`Delete ${row.ref}`, () => getApi().images.remove(row.ref, { force: false }));
    imagesStore.invalidate();
  };

  const prune = async () => {
    const ok = await confirmAction({
      title: 'Remove dangling images?',
      message: `${dangling} untagged image${dangling === 1 ? '' : 's'} that no container uses will be removed.`,
      confirmLabel: 'Remove dangling',
      danger: true,
    });
    if (!ok) return;
    await runAction('Prune images', async () => {
      const res = await getApi().images.pruneDangling();
      showToast('info', `Removed ${res.deleted.length} image${res.deleted.length === 1 ? '' : 's'}, reclaimed ${formatBytes(res.spaceReclaimed)}.`);
    });
    imagesStore.invalidate();
  };

  return (
    <section aria-labelledby="images-title">
      <div className="view-header">
        <h1 id="images-title">Images {data && <span className="count">{rows.length} · {formatBytes(total)}</span>}</h1>
        <span className="spacer" />
        {loading && data && <span className="spinner" role="status" aria-label="Refreshing images" />}
        <button type="button" onClick={() => setDialog('signin')}>Sign in…</button>
        <button type="button" onClick={() => setDialog('build')}>Build…</button>
        <button type="button" className="danger" onClick={() => void prune()} disabled={!data}>Prune dangling</button>
      </div>
      <RegistryLogins />
      <form className="toolbar" onSubmit={pull} aria-label="Pull an image">
        <div className="inline-form">
          <input aria-label="Image to pull" placeholder="registry/repository:tag, e.g. busybox:latest" value={ref} onChange={(e) => setRef(e.target.value)} spellCheck={false} autoCapitalize="off" />
          <button type="submit" className="primary" disabled={!ref.trim()}>Pull</button>
        </div>
        <span className="spacer" />
        {rows.length > 0 && <input type="search" aria-label="Search images" placeholder="Search images" value={query} onChange={(e) => setQuery(e.target.value)} />}
      </form>
      {pulls.length > 0 && (
        <div className="pulls" aria-label="Pulls">
          {pulls.map((p) => <PullCard key={p.key} pull={p} />)}
        </div>
      )}
      <ImageJobs />
      {error && <ErrorBox error={error} what="images" onRetry={() => void imagesStore.refresh()} />}
      {!data && loading && <LoadingState label="Loading images…" />}
      {data && rows.length === 0 && <EmptyState title="No images yet">Pull one above, build one with Build…, or use <code>docker build</code>.</EmptyState>}
      {rows.length > 0 && (
        shown.length === 0 ? <EmptyState title="No images match" /> : (
          <div className="table-wrap">
            <table className="data" aria-label="Images">
              <thead>
                <tr>
                  <th scope="col">Repository</th>
                  <th scope="col">Tag</th>
                  <th scope="col">Image ID</th>
                  <th scope="col" className="num">Size</th>
                  <th scope="col">Created</th>
                  <th scope="col">In use</th>
                  <th scope="col" className="actions"><span className="visually-hidden">Actions</span></th>
                </tr>
              </thead>
              <tbody>
                {shown.map((r) => {
                  const label = r.repo === '<none>' ? shortId(r.image.id) : `${r.repo}:${r.tag}`;
                  return (
                    <tr key={r.key}>
                      <td className="name-cell mono">{r.repo}{r.image.dangling && <span className="badge" style={{ marginLeft: 8 }}>dangling</span>}</td>
                      <td className="mono">{r.tag}</td>
                      <td className="mono">{shortId(r.image.id)}</td>
                      <td className="num">{formatBytes(r.image.size)}</td>
                      <td>{formatRelative(r.image.created)}</td>
                      <td>{r.image.containers > 0 ? <span className="badge running">{r.image.containers} container{r.image.containers === 1 ? '' : 's'}</span> : <span className="muted">unused</span>}</td>
                      <td className="actions">
                        <button type="button" className="small" aria-label={`Run ${label}`} onClick={() => setRunRef(r.ref)}>Run</button>
                        <button type="button" className="small" aria-label={`Tag ${label}`} onClick={() => setTagRef(r.ref)}>Tag</button>
                        {r.repo !== '<none>' && <button type="button" className="small" aria-label={`Push ${label}`} onClick={() => void pushImage(r.ref)}>Push</button>}
                        <a className="button small" href={`#/images/${encodeURIComponent(r.ref)}`} aria-label={`History of ${label}`}>History</a>
                        <button type="button" className="small danger" aria-label={`Delete ${label}`} onClick={() => void remove(r)}>Delete</button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )
      )}
      <RunDialog image={runRef} onClose={() => setRunRef(undefined)} />
      <TagDialog image={tagRef} onClose={() => setTagRef(undefined)} />
      <BuildDialog open={dialog === 'build'} onClose={() => setDialog(undefined)} />
      <SignInDialog open={dialog === 'signin'} onClose={() => setDialog(undefined)} />
    </section>
  );
}

function PullCard({ pull }: { pull: PullEntry }) {
  const layers = pull.progress?.layers ?? [];
  const statusText = pull.status === 'error' ? `Failed: ${pull.error}` : pull.status === 'done' ? 'Pulled' : layers.length ? `${layers.filter((l) => /complete|exists/i.test(l.status)).length}/${layers.length} layers` : 'Starting…';
  return (
    <article className="pull-card" aria-label={`Pull ${pull.ref}`}>
      <header>
        <strong className="mono">{pull.ref}</strong>
        <span className={`badge ${pull.status === 'error' ? 'error' : pull.status === 'done' ? 'running' : 'paused'}`} role="status">{statusText}</span>
        <span className="spacer" />
        {pull.status !== 'pulling' && (
          <button type="button" className="small icon" aria-label={`Dismiss pull of ${pull.ref}`} onClick={() => dismissPull(pull.key)}>×</button>
        )}
      </header>
      {layers.map((l) => {
        const known = l.total !== undefined && l.total > 0 && l.current !== undefined;
        const finished = /complete|exists/i.test(l.status);
        const pct = finished ? 100 : known ? Math.min(100, Math.round((l.current! / l.total!) * 100)) : undefined;
        return (
          <div className="layer" key={l.id}>
            <span className="id">{l.id.slice(0, 12)}</span>
            <div
              className="progress"
              role="progressbar"
              aria-label={`Layer ${l.id.slice(0, 12)}`}
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={pct}
              aria-valuetext={pct === undefined ? l.status : `${l.status} ${pct}%`}
            >
              <span style={{ width: `${pct ?? 0}%` }} />
            </div>
            <span className="st" title={l.status}>
              {l.status}
              {known && !finished ? ` ${formatBytes(l.current)} / ${formatBytes(l.total)}` : ''}
            </span>
          </div>
        );
      })}
    </article>
  );
}
