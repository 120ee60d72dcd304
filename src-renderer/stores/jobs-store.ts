import { createStore } from 'zustand/vanilla';
import type { JobProgress, StreamHandle } from '../../src-main/core/contract/index.js';
import { toErrorInfo } from './resource-store.js';
import { openStream } from './streams.js';

/** Long jobs other than pulls (push, build, volume export and import), each with its last progress. */
export interface JobEntry {
  key: string;
  kind: JobProgress['kind'];
  title: string;
  progress: JobProgress | undefined;
  status: 'running' | 'done' | 'error';
  error: string | undefined;
  startedAt: number;
  endedAt: number | undefined;
}

export const jobsStore = createStore<{ jobs: JobEntry[] }>(() => ({ jobs: [] }));
let seq = 0;

function update(key: string, patch: Partial<JobEntry>): void {
  jobsStore.setState((s) => ({ jobs: s.jobs.map((j) => (j.key === key ? { ...j, ...patch } : j)) }));
}

/** Starts a job with `start` and follows its 'job.progress'; resolves when it ended (true when it succeeded). */
export async function startJob(kind: JobProgress['kind'], title: string, start: () => Promise<StreamHandle>, onEnd?: (ok: boolean) => void): Promise<boolean> {
  const key = `job-${++seq}`;
  const entry: JobEntry = { key, kind, title, progress: undefined, status: 'running', error: undefined, startedAt: Date.now(), endedAt: undefined };
  jobsStore.setState((s) => ({ jobs: [entry, ...s.jobs].slice(0, 20) }));
  return new Promise<boolean>((resolve) => {
    const end = (error?: string) => {
      update(key, error ? { status: 'error', error, endedAt: Date.now() } : { status: 'done', endedAt: Date.now() });
      onEnd?.(!error);
      resolve(!error);
    };
    openStream(start, {
      onJob(progress) {
        update(key, { progress });
      },
      onEnd: end,
    }).catch((err: unknown) => end(toErrorInfo(err).message));
  });
}

export function dismissJob(key: string): void {
  jobsStore.setState((s) => ({ jobs: s.jobs.filter((j) => j.key !== key) }));
}

/** 0..100 for a job's bar, or undefined when its size is unknown. */
export function jobPercent(job: JobEntry): number | undefined {
  if (job.status === 'done') return 100;
  const p = job.progress;
  if (!p) return undefined;
  if (p.kind === 'transfer') {
    const t = p.transfer;
    return t.total ? Math.min(99, Math.round((t.bytes / t.total) * 100)) : undefined;
  }
  if (p.kind === 'push') {
    const layers = p.push.layers;
    if (!layers.length) return undefined;
    const total = layers.reduce((n, l) => n + (l.total ?? 0), 0);
    const finished = layers.filter((l) => /pushed|exists|mounted/i.test(l.status)).length;
    if (total > 0) {
      const cur = layers.reduce((n, l) => n + (/pushed|exists|mounted/i.test(l.status) ? (l.total ?? 0) : (l.current ?? 0)), 0);
      return Math.min(99, Math.round((cur / total) * 100));
    }
    return Math.round((finished / layers.length) * 99);
  }
  const steps = p.build.steps;
  if (!steps.length) return undefined;
  return Math.min(99, Math.round((steps.filter((s) => s.completed !== undefined).length / steps.length) * 100));
}
