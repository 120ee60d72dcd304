import { createStore } from 'zustand/vanilla';
import type { PullProgress } from '../../src-main/core/contract/index.js';
import { getApi } from '../ipc/index.js';
import { imagesStore } from './resources.js';
import { toErrorInfo } from './resource-store.js';
import { openStream } from './streams.js';

export interface PullEntry {
  key: string;
  ref: string;
  progress: PullProgress | undefined;
  status: 'pulling' | 'done' | 'error';
  error: string | undefined;
}

export interface PullsState {
  pulls: PullEntry[];
}

export const pullsStore = createStore<PullsState>(() => ({ pulls: [] }));
let seq = 0;

function update(key: string, patch: Partial<PullEntry>): void {
  pullsStore.setState((s) => ({ pulls: s.pulls.map((p) => (p.key === key ? { ...p, ...patch } : p)) }));
}

/** Starts a pull; progress arrives as 'pull.progress' events. */
export async function startPull(ref: string): Promise<void> {
  const key = `pull-${++seq}`;
  const entry: PullEntry = { key, ref, progress: undefined, status: 'pulling', error: undefined };
  pullsStore.setState((s) => ({ pulls: [entry, ...s.pulls].slice(0, 20) }));
  try {
    await openStream(() => getApi().images.pull(ref), {
      onProgress(progress) {
        const patch: Partial<PullEntry> = { progress };
        if (progress.error) Object.assign(patch, { status: 'error', error: progress.error });
        else if (progress.done) Object.assign(patch, { status: 'done' });
        update(key, patch);
        if (progress.done) imagesStore.invalidate();
      },
      onEnd(error) {
        const current = pullsStore.getState().pulls.find((p) => p.key === key);
        if (error) update(key, { status: 'error', error });
        else if (current?.status === 'pulling') update(key, { status: 'done' });
        imagesStore.invalidate();
      },
    });
  } catch (err) {
    update(key, { status: 'error', error: toErrorInfo(err).message });
  }
}

export function dismissPull(key: string): void {
  pullsStore.setState((s) => ({ pulls: s.pulls.filter((p) => p.key !== key) }));
}
