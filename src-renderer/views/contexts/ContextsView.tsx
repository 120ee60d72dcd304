import { useState } from 'react';
import type { DockerContextInfo } from '../../../src-main/core/contract/index.js';
import { EmptyState, ErrorBox, LoadingState } from '../../components/States.js';
import { showToast } from '../../components/Toasts.js';
import { getApi } from '../../ipc/index.js';
import { contextsStore } from '../../stores/contexts-store.js';
import { engineStore } from '../../stores/engine-store.js';
import { invalidateAll, toErrorInfo } from '../../stores/resource-store.js';
import { useResource } from '../../stores/use-resource.js';
import './contexts.css';

const KIND_LABELS: Record<DockerContextInfo['kind'], string> = {
  wharf: 'Wharf VM',
  unix: 'Unix socket',
  npipe: 'Named pipe',
  tcp: 'TCP',
  ssh: 'SSH',
  unsupported: 'Not supported',
};

/**
 * Remote engines: the docker CLI's contexts. "Show in Wharf" points the
 * containers, images and volumes views at that engine after it answered; the
 * failure (host unreachable, certificate refused, permission denied) is shown
 * on its row. Wharf's own VM stays managed from the status bar as before.
 */
export function ContextsView() {
  const { data, error, loading } = useResource(contextsStore);
  const [busy, setBusy] = useState<string>();
  const [rowError, setRowError] = useState<Record<string, string>>({});
  const [rowOk, setRowOk] = useState<Record<string, string>>({});

  const select = async (c: DockerContextInfo) => {
    setBusy(c.name);
    setRowError((e) => ({ ...e, [c.name]: '' }));
    try {
      await getApi().contexts.select(c.name);
      showToast('info', c.kind === 'wharf' ? 'The views show Wharf\'s VM again.' : `The views now show ${c.name}.`);
      invalidateAll();
      await Promise.all([contextsStore.refresh(), engineStore.refresh()]);
    } catch (err) {
      setRowError((e) => ({ ...e, [c.name]: toErrorInfo(err).message }));
    } finally {
      setBusy(undefined);
    }
  };

  const check = async (c: DockerContextInfo) => {
    setBusy(c.name);
    setRowError((e) => ({ ...e, [c.name]: '' }));
    setRowOk((e) => ({ ...e, [c.name]: '' }));
    try {
      const r = await getApi().contexts.check(c.name);
      setRowOk((e) => ({ ...e, [c.name]: `Docker ${r.version} answers.` }));
    } catch (err) {
      setRowError((e) => ({ ...e, [c.name]: toErrorInfo(err).message }));
    } finally {
      setBusy(undefined);
    }
  };

  const list = data ?? [];
  return (
    <section aria-labelledby="contexts-title">
      <div className="view-header">
        <h1 id="contexts-title">Engines {data && <span className="count">{list.length}</span>}</h1>
        <span className="spacer" />
        {loading && data && <span className="spinner" role="status" aria-label="Refreshing engines" />}
        <button type="button" onClick={() => void contextsStore.refresh()}>Refresh</button>
      </div>
      <p className="sub">
        The docker CLI's contexts. Choose one to show its containers, images and volumes here; add one with{' '}
        <code>docker context create NAME --docker host=ssh://user@host</code> or <code>host=tcp://host:2376,ca=…,cert=…,key=…</code>.
      </p>
      {error && <ErrorBox error={error} what="the docker contexts" onRetry={() => void contextsStore.refresh()} />}
      {!data && loading && <LoadingState label="Loading docker contexts…" />}
      {data && list.length === 0 && <EmptyState title="No docker contexts" />}
      {list.length > 0 && (
        <div className="table-wrap">
          <table className="data" aria-label="Docker contexts">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Type</th>
                <th scope="col">Endpoint</th>
                <th scope="col">Shown in Wharf</th>
                <th scope="col" className="actions"><span className="visually-hidden">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {list.map((c) => (
                <tr key={c.name} aria-current={c.viewed ? 'true' : undefined}>
                  <td className="name-cell">
                    <span className="mono">{c.name}</span>
                    {c.cliCurrent && <span className="badge" title="docker context use picked this one">CLI current</span>}
                    {c.description && <div className="muted small-text">{c.description}</div>}
                    {rowError[c.name] && <div className="field-error" role="alert">{rowError[c.name]}</div>}
                    {rowOk[c.name] && <div className="ok-text" role="status">{rowOk[c.name]}</div>}
                  </td>
                  <td>{KIND_LABELS[c.kind]}{c.tls ? ' · TLS' : ''}</td>
                  <td className="mono">{c.host}</td>
                  <td>{c.viewed ? <strong>Shown</strong> : <span className="muted">—</span>}</td>
                  <td className="actions">
                    <button type="button" className="small" aria-label={`Test ${c.name}`} disabled={busy !== undefined || c.kind === 'unsupported'} onClick={() => void check(c)}>
                      {busy === c.name ? 'Checking…' : 'Test'}
                    </button>
                    <button
                      type="button"
                      className="small primary"
                      aria-label={`Show ${c.name} in Wharf`}
                      disabled={busy !== undefined || c.viewed || c.kind === 'unsupported'}
                      onClick={() => void select(c)}
                    >
                      Show in Wharf
                    </button>
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
