import type { JobProgress, PullProgress, StreamHandle } from '../../src-main/core/contract/index.js';
import { getApi, getTransport, type Transport } from '../ipc/index.js';

/**
 * One listener for 'stream.data', 'stream.end' and 'pull.progress', routed by
 * stream id. Events can arrive before the call that opened the stream has
 * returned its id, so unclaimed events wait in a small bounded buffer.
 */
export interface StreamHandlers {
  onData?(data: string): void;
  onEnd?(error?: string): void;
  onProgress?(progress: PullProgress): void;
  /** Pushes, builds, volume exports and imports ('job.progress'). */
  onJob?(progress: JobProgress): void;
}

type Pending =
  | { kind: 'data'; data: string }
  | { kind: 'end'; error?: string }
  | { kind: 'progress'; progress: PullProgress }
  | { kind: 'job'; job: JobProgress };

const MAX_UNCLAIMED = 2000;
const UNCLAIMED_TTL_MS = 15_000;

const handlers = new Map<string, StreamHandlers>();
const unclaimed = new Map<string, { at: number; items: Pending[] }>();
const closed = new Set<string>();
let unclaimedCount = 0;
let listenedOn: Transport | undefined;
let unlisten: (() => void) | undefined;
let unwatch: (() => void) | undefined;

function deliver(h: StreamHandlers, p: Pending): void {
  if (p.kind === 'data') h.onData?.(p.data);
  else if (p.kind === 'progress') h.onProgress?.(p.progress);
  else if (p.kind === 'job') h.onJob?.(p.job);
  else h.onEnd?.(p.error);
}

function route(streamId: string, p: Pending): void {
  const h = handlers.get(streamId);
  if (h) {
    deliver(h, p);
    if (p.kind === 'end') handlers.delete(streamId);
    return;
  }
  if (closed.has(streamId)) return;
  const now = Date.now();
  for (const [id, entry] of unclaimed) {
    if (now - entry.at > UNCLAIMED_TTL_MS || unclaimedCount > MAX_UNCLAIMED) {
      unclaimedCount -= entry.items.length;
      unclaimed.delete(id);
    }
  }
  const entry = unclaimed.get(streamId) ?? { at: now, items: [] };
  entry.items.push(p);
  unclaimedCount++;
  unclaimed.set(streamId, entry);
}

function ensureListening(): void {
  const transport = getTransport();
  if (listenedOn === transport) return;
  unlisten?.();
  unwatch?.();
  listenedOn = transport;
  // Streams live on the connection: when it drops, every open one has ended.
  unwatch = transport.onConnectionChange?.((connected) => {
    if (connected) return;
    for (const [id, h] of [...handlers]) {
      handlers.delete(id);
      closed.add(id);
      h.onEnd?.('Lost the connection to Wharf.');
    }
  });
  unlisten = transport.listen((msg) => {
    if (msg.name === 'stream.data') {
      const p = msg.payload as { streamId: string; data: string };
      route(p.streamId, { kind: 'data', data: p.data });
    } else if (msg.name === 'stream.end') {
      const p = msg.payload as { streamId: string; error?: string };
      route(p.streamId, p.error === undefined ? { kind: 'end' } : { kind: 'end', error: p.error });
    } else if (msg.name === 'pull.progress') {
      const p = msg.payload as { streamId: string; progress: PullProgress };
      route(p.streamId, { kind: 'progress', progress: p.progress });
    } else if (msg.name === 'job.progress') {
      const p = msg.payload as { streamId: string; progress: JobProgress };
      route(p.streamId, { kind: 'job', job: p.progress });
    }
  });
}

export interface OpenStream {
  streamId: string;
  /** Stops delivering and asks the core to close the stream. */
  close(): void;
  write(data: string): Promise<void>;
  resize(cols: number, rows: number): Promise<void>;
}

/** Opens a stream with `start` (e.g. `() => api.containers.logs(id)`) and routes its events to `h`. */
export async function openStream(start: () => Promise<StreamHandle>, h: StreamHandlers): Promise<OpenStream> {
  ensureListening();
  const { streamId } = await start();
  handlers.set(streamId, h);
  const early = unclaimed.get(streamId);
  if (early) {
    unclaimed.delete(streamId);
    unclaimedCount -= early.items.length;
    for (const p of early.items) {
      if (!handlers.has(streamId)) break;
      deliver(h, p);
      if (p.kind === 'end') handlers.delete(streamId);
    }
  }
  let isClosed = false;
  return {
    streamId,
    close() {
      if (isClosed) return;
      isClosed = true;
      const wasOpen = handlers.delete(streamId);
      closed.add(streamId);
      if (closed.size > 500) closed.delete(closed.values().next().value as string);
      if (wasOpen) getApi().streams.close(streamId).catch(() => {});
    },
    write: (data) => getApi().streams.write(streamId, data),
    resize: (cols, rows) => getApi().streams.resize(streamId, cols, rows),
  };
}

/** For tests. */
export function streamRegistrySize(): { handlers: number; unclaimed: number } {
  return { handlers: handlers.size, unclaimed: unclaimedCount };
}
