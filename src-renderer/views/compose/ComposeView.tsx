import { EngineGate } from '../../components/EngineStatus.js';
import { EmptyState, ErrorBox, LoadingState } from '../../components/States.js';
import { containersStore } from '../../stores/resources.js';
import { navigate } from '../../stores/router.js';
import { useResource } from '../../stores/use-resource.js';
import { shortId } from '../../util/format.js';
import { Ports } from '../containers/ContainersView.js';
import { ComposeActions } from './ComposeActions.js';
import { ComposeLogs } from './ComposeLogs.js';

export function ComposeView({ project }: { project: string }) {
  return (
    <EngineGate>
      <Project project={project} />
    </EngineGate>
  );
}

function Project({ project }: { project: string }) {
  const { data, error, loading } = useResource(containersStore);
  const members = (data ?? []).filter((c) => c.composeProject === project).sort((a, b) => (a.composeService ?? '').localeCompare(b.composeService ?? '') || a.name.localeCompare(b.name));
  const running = members.filter((c) => c.state === 'running').length;
  const back = <a href="#/containers">Containers</a>;
  if (!data && loading) return <LoadingState label="Loading project…" />;
  if (members.length === 0) {
    return (
      <>
        <div className="crumbs">{back}</div>
        {error && <ErrorBox error={error} what="containers" onRetry={() => void containersStore.refresh()} />}
        <EmptyState title={`No containers in project ${project}`}>It may have been deleted. <a href="#/containers">Back to containers</a></EmptyState>
      </>
    );
  }
  const services = [...new Set(members.map((c) => c.composeService ?? c.name))];
  const workingDir = members[0]?.labels['com.docker.compose.project.working_dir'];
  return (
    <section aria-labelledby="project-title">
      <div className="crumbs">{back} <span aria-hidden="true">›</span> <span>{project}</span></div>
      <div className="detail-head">
        <div className="title-block">
          <div className="title-line">
            <h1 id="project-title">{project}</h1>
            <span className={`badge ${running === members.length ? 'running' : running ? 'paused' : 'exited'}`} role="status">{running}/{members.length} running</span>
          </div>
          <div className="meta">compose project · {services.length} service{services.length === 1 ? '' : 's'}{workingDir ? <> · <span className="mono">{workingDir}</span></> : null}</div>
        </div>
        <div className="head-actions">
          <ComposeActions project={project} running={running} total={members.length} onDeleted={() => navigate({ view: 'containers' })} />
        </div>
      </div>
      <div className="table-wrap">
        <table className="data" aria-label={`Services of ${project}`}>
          <thead>
            <tr>
              <th scope="col">Service</th>
              <th scope="col">Container</th>
              <th scope="col">Image</th>
              <th scope="col">State</th>
              <th scope="col">Ports</th>
            </tr>
          </thead>
          <tbody>
            {members.map((c) => (
              <tr key={c.id} data-container-id={c.id}>
                <td className="mono">{c.composeService ?? '—'}</td>
                <td className="name-cell"><a href={`#/containers/${encodeURIComponent(c.id)}/logs`}>{c.name}</a><div className="sub mono">{shortId(c.id)}</div></td>
                <td className="mono">{c.image}</td>
                <td><span className={`badge ${c.state}`}>{c.state}</span><div className="sub">{c.status}</div></td>
                <td className="ports"><Ports c={c} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2 className="section-title">Logs</h2>
      <ComposeLogs project={project} services={services} />
    </section>
  );
}
