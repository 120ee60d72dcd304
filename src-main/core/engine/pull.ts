import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type Docker from 'dockerode';
import type { StreamHandle } from '../contract/types.js';
import { errorMessage } from '../errors.js';
import type { EventBus } from '../util/event-bus.js';
import type { StreamRegistry } from '../util/streams.js';
import { toUserError } from './errors.js';
import { JsonLineSplitter, PullProgressAggregator, type PullMessage } from './pull-progress.js';

/** At most one 'pull.progress' per stream per this many ms (the last one always goes out). */
const PROGRESS_INTERVAL_MS = 100;

/**
 * Starts `docker pull ref`. Progress goes out as 'pull.progress' for the
 * returned stream id, throttled; the last event has done: true (and error when
 * it failed), followed by 'stream.end'. Closing the stream cancels the pull.
 */
export async function startPull(docker: Docker, bus: EventBus, streams: StreamRegistry, ref: string, auth?: object): Promise<StreamHandle> {
  const ac = new AbortController();
  let source: Readable;
  try {
    source = (await docker.pull(ref, { abortSignal: ac.signal, ...(auth ? { authconfig: auth } : {}) })) as unknown as Readable;
  } catch (err) {
    throw toUserError(err, { kind: 'image', ref });
  }
  const stream = streams.open({ kind: 'pull', dispose: () => { ac.abort(); source.destroy(); } });
  const agg = new PullProgressAggregator(ref);
  let timer: NodeJS.Timeout | undefined;
  let finished = false;

  const emit = (): void => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    bus.emit('pull.progress', { streamId: stream.id, progress: agg.snapshot() });
  };
  const changed = (): void => {
    if (!timer && !finished) timer = setTimeout(emit, PROGRESS_INTERVAL_MS);
  };
  const finish = (error?: string): void => {
    if (finished) return;
    finished = true;
    agg.finish(error);
    if (!stream.closed) {
      emit();
      stream.end(agg.snapshot().error);
    } else if (timer) {
      clearTimeout(timer);
    }
  };

  const decoder = new StringDecoder('utf8');
  const lines = new JsonLineSplitter((v) => {
    if (v && typeof v === 'object' && agg.apply(v as PullMessage)) changed();
  });
  source.on('data', (chunk: Buffer) => lines.write(decoder.write(chunk)));
  source.once('end', () => { lines.write(decoder.end()); lines.end(); finish(); });
  source.once('error', (err) => finish(stream.closed ? undefined : `Pull interrupted: ${errorMessage(err)}`));
  source.once('close', () => finish(agg.failed ? undefined : (source.readableEnded ? undefined : 'Pull interrupted')));
  changed();
  return { streamId: stream.id };
}
