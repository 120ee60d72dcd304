import type { BuildStep } from '../../src-main/core/contract/index.js';
import { dismissJob, jobPercent, type JobEntry } from '../stores/jobs-store.js';
import { formatBytes } from '../util/format.js';

function Bar({ label, pct, text }: { label: string; pct: number | undefined; text: string }) {
  return (
    <div className="progress" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} aria-valuetext={pct === undefined ? text : `${text} ${pct}%`}>
      <span className={pct === undefined ? 'indeterminate' : undefined} style={{ width: `${pct ?? 30}%` }} />
    </div>
  );
}

function stepState(s: BuildStep): string {
  if (s.error) return 'error';
  if (s.cached) return 'cached';
  if (s.completed !== undefined) return s.started !== undefined ? `${((s.completed - s.started) / 1000).toFixed(1)} s` : 'done';
  if (s.started !== undefined) return s.total ? `${formatBytes(s.current)} / ${formatBytes(s.total)}` : 'running';
  return 'waiting';
}

/** One long job (push, build, export, import): its overall bar, and per layer or step detail. */
export function JobCard({ job }: { job: JobEntry }) {
  const pct = jobPercent(job);
  const p = job.progress;
  const badge = job.status === 'error' ? 'error' : job.status === 'done' ? 'running' : 'paused';
  const secs = ((job.endedAt ?? Date.now()) - job.startedAt) / 1000;
  const statusText = job.status === 'error' ? `Failed: ${job.error}` : job.status === 'done' ? `Done in ${secs.toFixed(1)} s` : 'Working…';
  return (
    <article className="pull-card job-card" aria-label={job.title}>
      <header>
        <strong>{job.title}</strong>
        <span className={`badge ${badge}`} role="status">{statusText}</span>
        <span className="spacer" />
        {job.status !== 'running' && <button type="button" className="small icon" aria-label={`Dismiss ${job.title}`} onClick={() => dismissJob(job.key)}>×</button>}
      </header>
      <Bar label={`${job.title} progress`} pct={pct} text={statusText} />
      {p?.kind === 'transfer' && (
        <p className="muted job-line">{formatBytes(p.transfer.bytes)}{p.transfer.total ? ` of about ${formatBytes(p.transfer.total)}` : ''}</p>
      )}
      {p?.kind === 'push' && p.push.layers.map((l) => {
        const finished = /pushed|exists|mounted/i.test(l.status);
        const known = l.total !== undefined && l.total > 0 && l.current !== undefined;
        const lp = finished ? 100 : known ? Math.min(100, Math.round((l.current! / l.total!) * 100)) : undefined;
        return (
          <div className="layer" key={l.id}>
            <span className="id">{l.id.slice(0, 12)}</span>
            <Bar label={`Layer ${l.id.slice(0, 12)}`} pct={lp} text={l.status} />
            <span className="st" title={l.status}>{l.status}{known && !finished ? ` ${formatBytes(l.current)} / ${formatBytes(l.total)}` : ''}</span>
          </div>
        );
      })}
      {p?.kind === 'build' && (
        <>
          <ol className="build-steps" aria-label="Build steps">
            {p.build.steps.filter((s) => s.name).map((s) => (
              <li key={s.digest} className={s.error ? 'error' : s.completed !== undefined ? 'done' : s.started !== undefined ? 'active' : ''}>
                <span className="mono">{s.name}</span>
                <span className="st">{stepState(s)}</span>
              </li>
            ))}
          </ol>
          {p.build.log.length > 0 && <pre className="logs build-log" aria-label="Build output" tabIndex={0}>{p.build.log.slice(-40).join('\n')}</pre>}
        </>
      )}
    </article>
  );
}
