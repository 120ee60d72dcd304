import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type { JobProgress } from '../contract/daily-types.js';
import type { StreamHandle } from '../contract/types.js';
import { errorMessage } from '../errors.js';
import type { EventBus } from '../util/event-bus.js';
import type { StreamRegistry } from '../util/streams.js';
import { JsonLineSplitter } from './pull-progress.js';

/** What folds a job's JSON messages into its progress. */
export interface JobAggregator {
  apply(msg: Record<string, unknown>): boolean;
  finish(error?: string): void;
  readonly failed: boolean;
}

const PROGRESS_INTERVAL_MS = 150;

/**
 * Follows an engine job that answers with JSON lines (push, build): progress
 * goes out as throttled 'job.progress' events for the returned stream, the
 * last one after the job ended, then 'stream.end' (with the error, if any).
 * Closing the stream cancels the job.
 */
export function followJsonJob(opts: {
  bus: EventBus;
  streams: StreamRegistry;
  kind: string;
  source: Readable;
  agg: JobAggregator;
  progress: () => JobProgress;
  errorOf: () => string | undefined;
  cancel: () => void;
  onDone?: (failed: boolean) => void;
}): StreamHandle {
  const { bus, source, agg } = opts;
  const stream = opts.streams.open({ kind: opts.kind, dispose: () => { opts.cancel(); source.destroy(); } });
  let timer: NodeJS.Timeout | undefined;
  let finished = false;
  const emit = (): void => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    bus.emit('job.progress', { streamId: stream.id, progress: opts.progress() });
  };
  const changed = (): void => {
    if (!timer && !finished) timer = setTimeout(emit, PROGRESS_INTERVAL_MS);
  };
  const finish = (error?: string): void => {
    if (finished) return;
    finished = true;
    agg.finish(error);
    opts.onDone?.(agg.failed);
    if (!stream.closed) {
      emit();
      stream.end(opts.errorOf());
    } else if (timer) clearTimeout(timer);
  };
  const decoder = new StringDecoder('utf8');
  const lines = new JsonLineSplitter((v) => {
    if (v && typeof v === 'object' && agg.apply(v as Record<string, unknown>)) changed();
  });
  source.on('data', (chunk: Buffer) => lines.write(decoder.write(chunk)));
  source.once('end', () => { lines.write(decoder.end()); lines.end(); finish(); });
  source.once('error', (err) => finish(stream.closed ? undefined : `Interrupted: ${errorMessage(err)}`));
  source.once('close', () => finish(agg.failed || source.readableEnded ? undefined : 'Interrupted'));
  changed();
  return { streamId: stream.id };
}
