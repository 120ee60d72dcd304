import type { JobProgress } from './daily-types.js';
import type { BootProgress, PullProgress, Topic, VmState } from './types.js';

/**
 * Events pushed from the core to every connected client. 'invalidate' says
 * *what* changed; clients refetch (debounced) instead of polling.
 */
export interface EventMap {
  invalidate: { topic: Topic };
  vmState: VmState;
  bootProgress: BootProgress;
  'stream.data': { streamId: string; data: string };
  'stream.end': { streamId: string; error?: string };
  'pull.progress': { streamId: string; progress: PullProgress };
  /** Pushes, builds, volume exports and imports. */
  'job.progress': { streamId: string; progress: JobProgress };
}

export type EventName = keyof EventMap;

export const EVENT_NAMES: readonly EventName[] = [
  'invalidate', 'vmState', 'bootProgress', 'stream.data', 'stream.end', 'pull.progress', 'job.progress',
];
