import { useMemo, useState } from 'react';
import { useStore } from 'zustand';
import type { ContainerStats, ContainerSummary } from '../../../src-main/core/contract/index.js';
import { confirmAction } from '../../components/Confirm.js';
import { EngineGate } from '../../components/EngineStatus.js';
import { EmptyState, ErrorBox, LoadingState } from '../../components/States.js';
import { runAction, showToast } from '../../components/Toasts.js';
import { ACTION_LABELS, actionsFor, containerAction, type ContainerAction } from '../../stores/container-actions.js';
import { containersStore } from '../../stores/resources.js';
import { statsStore, useStatsSampler } from '../../stores/stats-store.js';
import { useResource } from '../../stores/use-resource.js';
import { useRowWindow } from '../../components/use-row-window.js';
import { formatMiB, formatPercent, shortId } from '../../util/format.js';
import { ComposeActions } from '../compose/ComposeActions.js';

type StateFilter = 'all' | 'running' | 'stopped' | 'paused';

export function matchesFilter(c: ContainerSummary, query: string, state: StateFilter): boolean {
  if (state === 'running' && c.state !== 'running') return false;
  if (state === 'paused' && c.state !== 'paused') return false;
  if (state === 'stopped' && !['exited', 'created', 'dead'].includes(c.state)) return false;
  if (!query) return true;
  const q = query.toLowerCase();
  return [c.name, c.image, c.id, c.composeProject ?? '', c.composeService ?? '', ...c.ports.map((p) => String(p.hostPort))]
    .some((s) => s.toLowerCase().includes(q));
}

export interface Group {
  project: string | undefined;
  containers: ContainerSummary[];
}

/** Compose projects first (by name), then standalone containers; rows sorted by name. */
export function groupByProject(list: ContainerSummary[]): Group[] {
  const byProject = new Map<string, ContainerSummary[]>();
  const standalone: ContainerSummary[] = [];
  for (const c of list) {
    if (c.composeProject) {
      const g = byProject.get(c.composeProject) ?? [];
      g.push(c);
      byProject.set(c.composeProject, g);
    } else standalone.push(c);
  }
  const byName = (a: ContainerSummary, b: ContainerSummary) => a.name.localeCompare(b.name);
  const groups: Group[] = [...byProject.keys()].sort().map((project) => ({ project, containers: byProject.get(project)!.sort(byName) }));
  if (standalone.length) groups.push({ project: undefined, containers: standalone.sort(byName) });
  return groups;
}

export function ContainersView() {
  return (
    <EngineGate>
      <ContainersTable />
    </EngineGate>
  );
}

function ContainersTable() {
  const { data, error, loading } = useResource(containersStore);
  useStatsSampler();
  const latest = useStore(statsStore, (s) => s.latest);
  const [query, setQuery] = useState('');
  const [stateFilter, setStateFilter] = useState<StateFilter>('all');
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState<Set<string>>(new Set());
  const [collapsed, setCollapsed] = useState<Set<string>>(new Set());

  const visible = useMemo(() => (data ?? []).filter((c) => matchesFilter(c, query.trim(), stateFilter)), [data, query, stateFilter]);
  const groups = useMemo(() => groupByProject(visible), [visible]);
  const flat = useMemo(() => flattenGroups(groups, collapsed), [groups, collapsed]);
  // Only long lists are windowed; short ones keep one <tbody> per compose project.
  const windowed = flat.length > WINDOW_THRESHOLD;
  const win = useRowWindow(flat.length, windowed);
  const selectedVisible = visible.filter((c) => selected.has(c.id));
  const running = (data ?? []).filter((c) => c.state === 'running').length;

  const setBusyFor = (ids: string[], on: boolean) =>
    setBusy((prev) => {
      const next = new Set(prev);
      for (const id of ids) {
        if (on) next.add(id);
        else next.delete(id);
      }
      return next;
    });

  const act = async (c: ContainerSummary, action: ContainerAction) => {
    if (action === 'remove') {
      const ok = await confirmAction({
        title: `Delete container ${c.name}?`,
        message: c.state === 'running' ? 'It is running: it will be stopped and removed. Its anonymous data is lost.' : 'The container and its writable layer are removed.',
        confirmLabel: 'Delete',
        danger: true,
      });
      if (!ok) return;
    }
    setBusyFor([c.id], true);
    const ok = await runAction(`${ACTION_LABELS[action]} ${c.name}`, () => containerAction(c, action));
    setBusyFor([c.id], false);
    if (ok && action === 'remove') setSelected((s) => { const n = new Set(s); n.delete(c.id); return n; });
  };

  const bulk = async (action: 'start' | 'stop' | 'remove') => {
    const targets = selectedVisible.filter((c) => action === 'remove' || actionsFor(c.state).includes(action));
    if (!targets.length) return;
    if (action === 'remove') {
      const ok = await confirmAction({
        title: `Delete ${targets.length} container${targets.length === 1 ? '' : 's'}?`,
        message: `${targets.map((c) => c.name).join(', ')} will be removed (running ones are stopped first).`,
        confirmLabel: `Delete ${targets.length}`,
        danger: true,
      });
      if (!ok) return;
    }
    const ids = targets.map((c) => c.id);
    setBusyFor(ids, true);
    const results = await Promise.all(targets.map((c) => runAction(`${ACTION_LABELS[action]} ${c.name}`, () => containerAction(c, action))));
    setBusyFor(ids, false);
    const done = results.filter(Boolean).length;
    showToast('info', `${ACTION_LABELS[action]}: ${done} of ${targets.length} container${targets.length === 1 ? '' : 's'} done.`);
    if (action === 'remove') setSelected(new Set());
  };

  const allSelected = visible.length > 0 && selectedVisible.length === visible.length;
  const toggleAll = () => setSelected(allSelected ? new Set() : new Set(visible.map((c) => c.id)));
  const toggle = (id: string) => setSelected((s) => { const n = new Set(s); if (n.has(id)) n.delete(id); else n.add(id); return n; });

  return (
    <section aria-labelledby="containers-title">
      <div className="view-header">
        <h1 id="containers-title">Containers {data && <span className="count">{running} running · {data.length} total</span>}</h1>
        <span className="spacer" />
        {loading && data && <span className="spinner" role="status" aria-label="Refreshing containers" />}
      </div>
      {error && <ErrorBox error={error} what="containers" onRetry={() => void containersStore.refresh()} />}
      {!data && loading && <LoadingState label="Loading containers…" />}
      {data && data.length === 0 && (
        <EmptyState title="No containers yet">
          Run one from <a href="#/images">Images</a>, or from a terminal: <code>docker run -d -p 8080:80 nginx</code>
        </EmptyState>
      )}
      {data && data.length > 0 && (
        <>
          <div className="toolbar">
            <input type="search" aria-label="Search containers" placeholder="Search by name, image, port…" value={query} onChange={(e) => setQuery(e.target.value)} />
            <select aria-label="Filter by state" value={stateFilter} onChange={(e) => setStateFilter(e.target.value as StateFilter)}>
              <option value="all">All states</option>
              <option value="running">Running</option>
              <option value="paused">Paused</option>
              <option value="stopped">Stopped</option>
            </select>
            <span className="spacer" />
            {selectedVisible.length > 0 && <span className="muted">{selectedVisible.length} selected</span>}
            <button type="button" disabled={!selectedVisible.length} onClick={() => void bulk('start')}>Start selected</button>
            <button type="button" disabled={!selectedVisible.length} onClick={() => void bulk('stop')}>Stop selected</button>
            <button type="button" className="danger" disabled={!selectedVisible.length} onClick={() => void bulk('remove')}>Delete selected</button>
          </div>
          {visible.length === 0 ? (
            <EmptyState title="No containers match">
              <button type="button" onClick={() => { setQuery(''); setStateFilter('all'); }}>Clear filters</button>
            </EmptyState>
          ) : (
            <div className={windowed ? 'table-wrap windowed' : 'table-wrap'} ref={win.ref} onScroll={windowed ? win.onScroll : undefined}>
              <table className="data" aria-label="Containers" aria-rowcount={windowed ? flat.length + 1 : undefined}>
                <thead>
                  <tr>
                    <th scope="col" className="check">
                      <input type="checkbox" aria-label="Select all containers" checked={allSelected} onChange={toggleAll} />
                    </th>
                    <th scope="col">Name</th>
                    <th scope="col">Image</th>
                    <th scope="col">State</th>
                    <th scope="col">Ports</th>
                    <th scope="col" className="num">CPU</th>
                    <th scope="col" className="num">Memory</th>
                    <th scope="col" className="actions"><span className="visually-hidden">Actions</span></th>
                  </tr>
                </thead>
                {windowed ? (
                  <tbody>
                    {win.padTop > 0 && <tr aria-hidden="true" className="spacer" style={{ height: win.padTop }}><td colSpan={8} /></tr>}
                    {flat.slice(win.start, win.end).map((item, i) => item.kind === 'group' ? (
                      <GroupRow key={`g:${item.group.project ?? ''}`} group={item.group} collapsed={collapsed} setCollapsed={setCollapsed} rowIndex={win.start + i + 2} />
                    ) : (
                      <ContainerRow
                        key={item.c.id}
                        c={item.c}
                        rowIndex={win.start + i + 2}
                        stats={latest[item.c.id]}
                        selected={selected.has(item.c.id)}
                        busy={busy.has(item.c.id)}
                        onToggle={() => toggle(item.c.id)}
                        onAction={(a) => void act(item.c, a)}
                      />
                    ))}
                    {win.padBottom > 0 && <tr aria-hidden="true" className="spacer" style={{ height: win.padBottom }}><td colSpan={8} /></tr>}
                  </tbody>
                ) : groups.map((g) => {
                  const key = g.project ?? '';
                  const isCollapsed = g.project !== undefined && collapsed.has(key);
                  return (
                    <tbody key={key || '__standalone'}>
                      {(g.project !== undefined || groups.length > 1) && (
                        <GroupRow group={g} collapsed={collapsed} setCollapsed={setCollapsed} />
                      )}
                      {!isCollapsed && g.containers.map((c) => (
                        <ContainerRow
                          key={c.id}
                          c={c}
                          stats={latest[c.id]}
                          selected={selected.has(c.id)}
                          busy={busy.has(c.id)}
                          onToggle={() => toggle(c.id)}
                          onAction={(a) => void act(c, a)}
                        />
                      ))}
                    </tbody>
                  );
                })}
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}

function ContainerRow(props: {
  c: ContainerSummary;
  rowIndex?: number;
  stats: ContainerStats | undefined;
  selected: boolean;
  busy: boolean;
  onToggle: () => void;
  onAction: (a: ContainerAction) => void;
}) {
  const { c, stats } = props;
  const live = c.state === 'running';
  return (
    <tr data-container-id={c.id} aria-rowindex={props.rowIndex}>
      <td className="check">
        <input type="checkbox" aria-label={`Select ${c.name}`} checked={props.selected} onChange={props.onToggle} />
      </td>
      <td className="name-cell">
        <a href={`#/containers/${encodeURIComponent(c.id)}/logs`}>{c.name}</a>
        <div className="sub mono">{shortId(c.id)}{c.composeService ? ` · ${c.composeService}` : ''}</div>
      </td>
      <td className="mono">{c.image}</td>
      <td>
        <span className={`badge ${c.state}`}>{c.state}</span>
        <div className="sub">{c.status}</div>
      </td>
      <td className="ports">
        <Ports c={c} />
      </td>
      <td className="num">{live ? formatPercent(stats?.cpuPercent) : <span className="muted">—</span>}</td>
      <td className="num">{live ? formatMiB(stats?.memoryBytes) : <span className="muted">—</span>}</td>
      <td className="actions">
        {props.busy && <span className="spinner" role="status" aria-label={`Working on ${c.name}`} />}
        {actionsFor(c.state).map((a) => (
          <button
            key={a}
            type="button"
            className={`small${a === 'remove' ? ' danger' : ''}`}
            disabled={props.busy}
            aria-label={`${ACTION_LABELS[a]} ${c.name}`}
            onClick={() => props.onAction(a)}
          >
            {ACTION_LABELS[a]}
          </button>
        ))}
      </td>
    </tr>
  );
}

export function Ports({ c }: { c: ContainerSummary }) {
  if (!c.ports.length) return <span className="muted">—</span>;
  const seen = new Set<string>();
  return (
    <>
      {c.ports.map((p) => {
        const key = `${p.hostPort}:${p.containerPort}/${p.protocol}`;
        if (seen.has(key)) return null; // IPv4 and IPv6 bindings of the same port
        seen.add(key);
        return p.protocol === 'tcp' && p.hostPort ? (
          <a key={key} href={`http://localhost:${p.hostPort}`} target="_blank" rel="noreferrer" title={`container port ${p.containerPort}/tcp`}>
            {p.hostPort}:{p.containerPort}
          </a>
        ) : (
          <span key={key} className="mono" style={{ marginRight: 6 }}>{key}</span>
        );
      })}
    </>
  );
}

const WINDOW_THRESHOLD = 150;

type FlatItem = { kind: 'group'; group: Group } | { kind: 'row'; c: ContainerSummary };

/** Group header rows and container rows in display order, for windowing. */
export function flattenGroups(groups: Group[], collapsed: Set<string>): FlatItem[] {
  const out: FlatItem[] = [];
  for (const g of groups) {
    if (g.project !== undefined || groups.length > 1) out.push({ kind: 'group', group: g });
    if (g.project !== undefined && collapsed.has(g.project)) continue;
    for (const c of g.containers) out.push({ kind: 'row', c });
  }
  return out;
}

function GroupRow(props: { group: Group; collapsed: Set<string>; setCollapsed: (f: (s: Set<string>) => Set<string>) => void; rowIndex?: number }) {
  const g = props.group;
  const key = g.project ?? '';
  const isCollapsed = g.project !== undefined && props.collapsed.has(key);
  const groupRunning = g.containers.filter((c) => c.state === 'running').length;
  return (
    <tr className="group-row" aria-rowindex={props.rowIndex}>
      <th colSpan={8} scope="colgroup">
        {g.project !== undefined ? (
          <button
            type="button"
            className="small"
            aria-expanded={!isCollapsed}
            onClick={() => props.setCollapsed((s) => { const n = new Set(s); if (n.has(key)) n.delete(key); else n.add(key); return n; })}
          >
            <span aria-hidden="true">{isCollapsed ? '▸' : '▾'}</span> {g.project}
          </button>
        ) : (
          'Standalone containers'
        )}{' '}
        <span className="sub">
          {g.project !== undefined ? 'compose project · ' : ''}{groupRunning}/{g.containers.length} running
        </span>
        {g.project !== undefined && (
          <span className="group-actions">
            <a className="small-link" href={`#/compose/${encodeURIComponent(g.project)}`} aria-label={`Open project ${g.project}`}>Logs &amp; services</a>
            <ComposeActions project={g.project} running={groupRunning} total={g.containers.length} />
          </span>
        )}
      </th>
    </tr>
  );
}
