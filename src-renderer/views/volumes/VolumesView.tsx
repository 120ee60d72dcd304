import { type FormEvent, useState } from 'react';
import { confirmAction } from '../../components/Confirm.js';
import { EngineGate } from '../../components/EngineStatus.js';
import { EmptyState, ErrorBox, LoadingState } from '../../components/States.js';
import { runAction, showToast } from '../../components/Toasts.js';
import { getApi } from '../../ipc/index.js';
import { volumesStore } from '../../stores/resources.js';
import { useResource } from '../../stores/use-resource.js';
import { formatBytes } from '../../util/format.js';

export function VolumesView() {
  return (
    <EngineGate>
      <Volumes />
    </EngineGate>
  );
}

function Volumes() {
  const { data, error, loading } = useResource(volumesStore);
  const [name, setName] = useState('');
  const [query, setQuery] = useState('');
  const [creating, setCreating] = useState(false);
  const q = query.trim().toLowerCase();
  const list = [...(data ?? [])].sort((a, b) => a.name.localeCompare(b.name));
  const shown = q ? list.filter((v) => v.name.toLowerCase().includes(q) || v.usedBy.some((c) => c.toLowerCase().includes(q))) : list;
  const unused = list.filter((v) => v.usedBy.length === 0).length;

  const create = async (e: FormEvent) => {
    e.preventDefault();
    const n = name.trim();
    if (!n) return;
    setCreating(true);
    const ok = await runAction(`Create volume ${n}`, () => getApi().volumes.create(n));
    setCreating(false);
    if (ok) {
      setName('');
      showToast('info', `Created volume ${n}.`);
    }
    volumesStore.invalidate();
  };

  const remove = async (volume: string, usedBy: string[]) => {
    const ok = await confirmAction({
      title: `Delete volume ${volume}?`,
      message: usedBy.length ? `It is used by ${usedBy.join(', ')}; docker refuses until they are removed.` : 'Its data is deleted for good.',
      confirmLabel: 'Delete',
      danger: true,
    });
    if (!ok) return;
    await runAction(`Delete volume ${volume}`, () => getApi().volumes.remove(volume));
    volumesStore.invalidate();
  };

  const prune = async () => {
    const ok = await confirmAction({
      title: 'Remove unused volumes?',
      message: `${unused} volume${unused === 1 ? '' : 's'} that no container uses will be deleted with their data.`,
      confirmLabel: 'Remove unused',
      danger: true,
    });
    if (!ok) return;
    await runAction('Prune volumes', async () => {
      const res = await getApi().volumes.prune();
      showToast('info', `Removed ${res.deleted.length} volume${res.deleted.length === 1 ? '' : 's'}, reclaimed ${formatBytes(res.spaceReclaimed)}.`);
    });
    volumesStore.invalidate();
  };

  return (
    <section aria-labelledby="volumes-title">
      <div className="view-header">
        <h1 id="volumes-title">Volumes {data && <span className="count">{list.length}</span>}</h1>
        <span className="spacer" />
        {loading && data && <span className="spinner" role="status" aria-label="Refreshing volumes" />}
        <button type="button" className="danger" onClick={() => void prune()} disabled={!data}>Prune unused</button>
      </div>
      <form className="toolbar" onSubmit={create} aria-label="Create a volume">
        <div className="inline-form">
          <input aria-label="New volume name" placeholder="my-data" value={name} onChange={(e) => setName(e.target.value)} spellCheck={false} />
          <button type="submit" className="primary" disabled={!name.trim() || creating}>Create</button>
        </div>
        <span className="spacer" />
        {list.length > 0 && <input type="search" aria-label="Search volumes" placeholder="Search volumes" value={query} onChange={(e) => setQuery(e.target.value)} />}
      </form>
      {error && <ErrorBox error={error} what="volumes" onRetry={() => void volumesStore.refresh()} />}
      {!data && loading && <LoadingState label="Loading volumes…" />}
      {data && list.length === 0 && <EmptyState title="No volumes yet">Create one above, or with <code>docker volume create</code>.</EmptyState>}
      {list.length > 0 && (shown.length === 0 ? <EmptyState title="No volumes match" /> : (
        <div className="table-wrap">
          <table className="data" aria-label="Volumes">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Driver</th>
                <th scope="col" className="num">Size</th>
                <th scope="col">Used by</th>
                <th scope="col">Created</th>
                <th scope="col" className="actions"><span className="visually-hidden">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {shown.map((v) => (
                <tr key={v.name}>
                  <td className="name-cell mono" title={v.mountpoint}><a href={`#/volumes/${encodeURIComponent(v.name)}`}>{v.name}</a></td>
                  <td>{v.driver}</td>
                  <td className="num">{v.size >= 0 ? formatBytes(v.size) : <span className="muted">—</span>}</td>
                  <td>{v.usedBy.length ? v.usedBy.join(', ') : <span className="muted">unused</span>}</td>
                  <td>{v.createdAt ? new Date(v.createdAt).toLocaleString() : '—'}</td>
                  <td className="actions">
                    <a className="button small" href={`#/volumes/${encodeURIComponent(v.name)}`} aria-label={`Browse ${v.name}`}>Browse</a>
                    <button type="button" className="small danger" aria-label={`Delete ${v.name}`} onClick={() => void remove(v.name, v.usedBy)}>Delete</button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </section>
  );
}
