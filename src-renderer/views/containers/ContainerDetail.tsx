import { useCallback, useRef, type KeyboardEvent } from 'react';
import type { ContainerSummary } from '../../../src-main/core/contract/index.js';
import { confirmAction } from '../../components/Confirm.js';
import { EngineGate } from '../../components/EngineStatus.js';
import { EmptyState, ErrorBox, LoadingState } from '../../components/States.js';
import { Terminal } from '../../components/Terminal.js';
import { FileBrowser } from '../../components/FileBrowser.js';
import { runAction } from '../../components/Toasts.js';
import { getApi } from '../../ipc/index.js';
import { ACTION_LABELS, actionsFor, containerAction, type ContainerAction } from '../../stores/container-actions.js';
import { containersStore } from '../../stores/resources.js';
import { DETAIL_TABS, navigate, type DetailTab } from '../../stores/router.js';
import { useResource } from '../../stores/use-resource.js';
import { shortId } from '../../util/format.js';
import { InspectPanel } from './InspectPanel.js';
import { LogsPanel } from './LogsPanel.js';
import { StatsPanel } from './StatsPanel.js';
import { Ports } from './ContainersView.js';

const TAB_LABELS: Record<DetailTab, string> = { logs: 'Logs', inspect: 'Inspect', stats: 'Stats', terminal: 'Terminal', files: 'Files' };

export function findContainer(list: ContainerSummary[] | undefined, ref: string): ContainerSummary | undefined {
  if (!list) return undefined;
  return list.find((c) => c.id === ref) ?? list.find((c) => c.name === ref) ?? (ref.length >= 4 ? list.find((c) => c.id.startsWith(ref)) : undefined);
}

export function ContainerDetail({ id, tab }: { id: string; tab: DetailTab }) {
  return (
    <EngineGate>
      <Detail id={id} tab={tab} />
    </EngineGate>
  );
}

function Detail({ id, tab }: { id: string; tab: DetailTab }) {
  const { data, error, loading } = useResource(containersStore);
  const c = findContainer(data, id);
  const tabRefs = useRef<Record<string, HTMLButtonElement | null>>({});
  const back = <a href="#/containers">Containers</a>;

  const act = async (container: ContainerSummary, action: ContainerAction) => {
    if (action === 'remove') {
      const ok = await confirmAction({
        title: `Delete container ${container.name}?`,
        message: 'The container and its writable layer are removed.',
        confirmLabel: 'Delete',
        danger: true,
      });
      if (!ok) return;
    }
    const ok = await runAction(`${ACTION_LABELS[action]} ${container.name}`, () => containerAction(container, action));
    if (ok && action === 'remove') navigate({ view: 'containers' });
  };

  const onTabKey = (e: KeyboardEvent) => {
    const i = DETAIL_TABS.indexOf(tab);
    let next: DetailTab | undefined;
    if (e.key === 'ArrowRight') next = DETAIL_TABS[(i + 1) % DETAIL_TABS.length];
    else if (e.key === 'ArrowLeft') next = DETAIL_TABS[(i - 1 + DETAIL_TABS.length) % DETAIL_TABS.length];
    else if (e.key === 'Home') next = DETAIL_TABS[0];
    else if (e.key === 'End') next = DETAIL_TABS[DETAIL_TABS.length - 1];
    if (next && c) {
      e.preventDefault();
      navigate({ view: 'container', id: c.id, tab: next });
      tabRefs.current[next]?.focus();
    }
  };

  if (!data && loading) return <LoadingState label="Loading container…" />;
  if (!c) {
    return (
      <>
        <div className="crumbs">{back}</div>
        {error && <ErrorBox error={error} what="containers" onRetry={() => void containersStore.refresh()} />}
        <EmptyState title="Container not found">It may have been deleted. <a href="#/containers">Back to containers</a></EmptyState>
      </>
    );
  }
  const live = c.state === 'running';
  return (
    <section aria-labelledby="detail-title">
      <div className="crumbs">{back} <span aria-hidden="true">›</span> <span>{c.name}</span></div>
      <div className="detail-head">
        <div className="title-block">
          <div className="title-line">
            <h1 id="detail-title">{c.name}</h1>
            <span className={`badge ${c.state}`}>{c.state}</span>
          </div>
          <div className="meta">
            <span className="mono">{c.image}</span> · <span className="mono">{shortId(c.id)}</span>
            {c.ports.length > 0 && <> · <span className="ports"><Ports c={c} /></span></>}
            {c.composeProject && <> · compose project <strong>{c.composeProject}</strong></>}
            {' · '}{c.status}
          </div>
        </div>
        <div className="head-actions">
          {actionsFor(c.state).map((a) => (
            <button key={a} type="button" className={a === 'remove' ? 'danger' : ''} onClick={() => void act(c, a)}>{ACTION_LABELS[a]}</button>
          ))}
        </div>
      </div>
      {error && <ErrorBox error={error} what="containers" onRetry={() => void containersStore.refresh()} />}
      <div className="tabs" role="tablist" aria-label="Container details" onKeyDown={onTabKey}>
        {DETAIL_TABS.map((t) => (
          <button
            key={t}
            ref={(el) => { tabRefs.current[t] = el; }}
            type="button"
            role="tab"
            id={`tab-${t}`}
            aria-selected={t === tab}
            aria-controls={`panel-${t}`}
            tabIndex={t === tab ? 0 : -1}
            onClick={() => navigate({ view: 'container', id: c.id, tab: t })}
          >
            {TAB_LABELS[t]}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {tab === 'logs' && <LogsPanel key={c.id} id={c.id} name={c.name} />}
        {tab === 'inspect' && <InspectPanel key={c.id} id={c.id} name={c.name} />}
        {tab === 'stats' && (live ? <StatsPanel key={c.id} id={c.id} /> : <EmptyState title="Not running">Stats are sampled while the container runs.</EmptyState>)}
        {tab === 'files' && <FileBrowser key={c.id} target={{ kind: 'container', id: c.id }} label={c.name} />}
        {tab === 'terminal' && (live ? <ExecPanel key={c.id} id={c.id} name={c.name} /> : (
          <EmptyState title="Not running" actions={actionsFor(c.state).includes('start') ? <button type="button" className="primary" onClick={() => void act(c, 'start')}>Start {c.name}</button> : undefined}>
            A terminal needs a running container.
          </EmptyState>
        ))}
      </div>
    </section>
  );
}

function ExecPanel({ id, name }: { id: string; name: string }) {
  const open = useCallback(() => getApi().containers.exec(id, ['sh']), [id]);
  return <Terminal label={`Terminal in ${name}`} open={open} />;
}
