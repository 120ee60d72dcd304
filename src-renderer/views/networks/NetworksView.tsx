import { type FormEvent, useState } from 'react';
import type { NetworkSummary } from '../../../src-main/core/contract/index.js';
import { confirmAction } from '../../components/Confirm.js';
import { EngineGate } from '../../components/EngineStatus.js';
import { EmptyState, ErrorBox, LoadingState } from '../../components/States.js';
import { runAction, showToast } from '../../components/Toasts.js';
import { getApi } from '../../ipc/index.js';
import { networksStore } from '../../stores/resources.js';
import { useResource } from '../../stores/use-resource.js';
import { shortId } from '../../util/format.js';

export function NetworksView() {
  return (
    <EngineGate>
      <Networks />
    </EngineGate>
  );
}

function Networks() {
  const { data, error, loading } = useResource(networksStore);
  const [name, setName] = useState('');
  const [subnet, setSubnet] = useState('');
  const [internal, setInternal] = useState(false);
  const [busy, setBusy] = useState(false);
  const [query, setQuery] = useState('');
  const list = data ?? [];
  const q = query.trim().toLowerCase();
  const shown = q ? list.filter((n) => n.name.toLowerCase().includes(q) || n.containers.some((c) => c.name.toLowerCase().includes(q))) : list;
  const unused = list.filter((n) => !n.builtIn && n.containers.length === 0).length;

  const create = async (e: FormEvent) => {
    e.preventDefault();
    const n = name.trim();
    if (!n) return;
    setBusy(true);
    const ok = await runAction(`Create network ${n}`, () => getApi().networks.create({ name: n, driver: 'bridge', internal, ...(subnet.trim() ? { subnet: subnet.trim() } : {}) }));
    setBusy(false);
    if (ok) {
      setName('');
      setSubnet('');
      setInternal(false);
      showToast('info', `Created network ${n}.`);
    }
    networksStore.invalidate();
  };

  const remove = async (net: NetworkSummary) => {
    const ok = await confirmAction({
      title: `Delete network ${net.name}?`,
      message: net.containers.length ? `${net.containers.map((c) => c.name).join(', ')} ${net.containers.length === 1 ? 'is' : 'are'} attached; docker refuses until they are disconnected.` : 'Containers can no longer join it.',
      confirmLabel: 'Delete',
      danger: true,
    });
    if (!ok) return;
    await runAction(`Delete network ${net.name}`, () => getApi().networks.remove(net.id));
    networksStore.invalidate();
  };

  const prune = async () => {
    const ok = await confirmAction({
      title: 'Remove unused networks?',
      message: `${unused} network${unused === 1 ? '' : 's'} without containers will be removed (bridge, host and none stay).`,
      confirmLabel: 'Remove unused',
      danger: true,
    });
    if (!ok) return;
    await runAction('Prune networks', async () => {
      const res = await getApi().networks.prune();
      showToast('info', `Removed ${res.deleted.length} network${res.deleted.length === 1 ? '' : 's'}.`);
    });
    networksStore.invalidate();
  };

  return (
    <section aria-labelledby="networks-title">
      <div className="view-header">
        <h1 id="networks-title">Networks {data && <span className="count">{list.length}</span>}</h1>
        <span className="spacer" />
        {loading && data && <span className="spinner" role="status" aria-label="Refreshing networks" />}
        <button type="button" className="danger" onClick={() => void prune()} disabled={!data}>Prune unused</button>
      </div>
      <form className="toolbar" onSubmit={create} aria-label="Create a network">
        <div className="inline-form compact">
          <input aria-label="New network name" placeholder="my-net" value={name} onChange={(e) => setName(e.target.value)} spellCheck={false} />
          <input aria-label="Subnet (optional)" placeholder="subnet (optional), 172.30.0.0/16" value={subnet} onChange={(e) => setSubnet(e.target.value)} spellCheck={false} style={{ minWidth: 230 }} />
          <label className="check-label"><input type="checkbox" checked={internal} onChange={(e) => setInternal(e.target.checked)} /> Internal</label>
          <button type="submit" className="primary" disabled={!name.trim() || busy}>Create</button>
        </div>
        <span className="spacer" />
        {list.length > 0 && <input type="search" aria-label="Search networks" placeholder="Search networks" value={query} onChange={(e) => setQuery(e.target.value)} />}
      </form>
      {error && <ErrorBox error={error} what="networks" onRetry={() => void networksStore.refresh()} />}
      {!data && loading && <LoadingState label="Loading networks…" />}
      {data && shown.length === 0 && <EmptyState title="No networks match" />}
      {shown.length > 0 && (
        <div className="table-wrap">
          <table className="data" aria-label="Networks">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">ID</th>
                <th scope="col">Driver</th>
                <th scope="col">Subnet</th>
                <th scope="col">Containers</th>
                <th scope="col" className="actions"><span className="visually-hidden">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {shown.map((n) => (
                <tr key={n.id} data-network={n.name}>
                  <td className="name-cell mono">
                    {n.name}
                    {n.builtIn && <span className="badge" style={{ marginLeft: 8 }}>built-in</span>}
                    {n.internal && <span className="badge" style={{ marginLeft: 8 }}>internal</span>}
                    {n.labels['com.docker.compose.project'] && <div className="sub">compose project {n.labels['com.docker.compose.project']}</div>}
                  </td>
                  <td className="mono">{shortId(n.id)}</td>
                  <td>{n.driver}</td>
                  <td className="mono">{n.subnets.join(', ') || <span className="muted">—</span>}</td>
                  <td>
                    {n.containers.length ? n.containers.map((c) => (
                      <span key={c.name} className="attached"><a href={`#/containers/${encodeURIComponent(c.name)}/logs`}>{c.name}</a>{c.ipv4 && <span className="muted mono"> {c.ipv4}</span>}</span>
                    )) : <span className="muted">none</span>}
                  </td>
                  <td className="actions">
                    {!n.builtIn && <button type="button" className="small danger" aria-label={`Delete network ${n.name}`} onClick={() => void remove(n)}>Delete</button>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
