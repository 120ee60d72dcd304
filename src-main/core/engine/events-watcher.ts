import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type Docker from 'dockerode';
import type { Topic } from '../contract/types.js';
import type { EventBus } from '../util/event-bus.js';
import { Coalescer } from './coalescer.js';
import type { EngineConnection } from './connection.js';
import { JsonLineSplitter } from './pull-progress.js';
import { monotonicMs } from '../util/clock.js';

/** One message of the engine's /events stream (the fields we use). */
export interface DockerEventMessage {
  Type?: string;
  Action?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
  time?: number;
  timeNano?: number;
}

export type ContainerLifecycleAction = 'start' | 'die' | 'stop' | 'destroy';

export interface ContainerLifecycleEvent {
  action: ContainerLifecycleAction;
  /** Full container id. */
  id: string;
  /** Container name, when the engine says. */
  name?: string;
  /** Unix seconds. */
  time: number;
}

export type ContainerLifecycleListener = (event: ContainerLifecycleEvent) => void;

const LIFECYCLE = new Set<string>(['start', 'die', 'stop', 'destroy']);

/** Container actions that change nothing a list shows. */
const IGNORED_CONTAINER_ACTIONS = /^(exec_create|exec_start|exec_die|exec_detach|attach|detach|resize|top|archive-path|extract-to-dir|export|copy)\b/;

/** Which list a raw engine event invalidates, if any. Pure; exported for tests. */
export function topicOf(e: DockerEventMessage): Topic | undefined {
  const action = e.Action ?? '';
  switch (e.Type) {
    case 'container':
      return IGNORED_CONTAINER_ACTIONS.test(action) ? undefined : 'containers';
    case 'image':
      return 'images';
    case 'volume':
      return 'volumes';
    case 'network':
      return 'networks';
    default:
      return undefined;
  }
}

/** The lifecycle event for the port forwarder, if this is one. Pure; exported for tests. */
export function lifecycleOf(e: DockerEventMessage): ContainerLifecycleEvent | undefined {
  if (e.Type !== 'container' || !e.Action || !LIFECYCLE.has(e.Action) || !e.Actor?.ID) return undefined;
  const ev: ContainerLifecycleEvent = {
    action: e.Action as ContainerLifecycleAction,
    id: e.Actor.ID,
    time: e.time ?? Math.floor(Date.now() / 1000),
  };
  const name = e.Actor.Attributes?.['name'];
  if (name) ev.name = name;
  return ev;
}

export interface EventsWatcherOptions {
  /** Coalescing window for invalidations. Default 50 ms. */
  debounceMs?: number;
  /** First wait before re-subscribing after the stream failed while the engine still answers; doubles per failure. Default 1 s. */
  retryMs?: number;
  /** Longest wait between re-subscription attempts. Default 30 s. */
  maxRetryMs?: number;
}

/**
 * Follows the engine's /events and turns them into debounced 'invalidate'
 * events on the bus (one per topic per window), and container start/die/stop/
 * destroy into typed callbacks. Subscribes whenever the connection is up; when
 * the stream drops it asks the connection to re-check, and on re-subscribing
 * it asks for events since the last one seen so none are missed in between
 * (a lifecycle event may then be delivered twice; listeners must be idempotent).
 */
export class EventsWatcher {
  private readonly coalescer: Coalescer<Topic>;
  private readonly listeners = new Set<ContainerLifecycleListener>();
  private source: Readable | undefined;
  private abort: AbortController | undefined;
  private lastTime: number | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private running = false;
  private readonly detach: Array<() => void> = [];
  private readonly retryMs: number;
  private readonly maxRetryMs: number;
  /** Consecutive failed or short-lived subscriptions, for backoff. */
  private failures = 0;

  constructor(
    private readonly docker: Docker,
    private readonly bus: EventBus,
    private readonly connection: EngineConnection,
    options: EventsWatcherOptions = {},
  ) {
    this.retryMs = options.retryMs ?? 1000;
    this.maxRetryMs = options.maxRetryMs ?? 30_000;
    this.coalescer = new Coalescer<Topic>(options.debounceMs ?? 50, (topics) => {
      for (const topic of topics) this.bus.emit('invalidate', { topic });
    });
  }

  /** Subscribes to container lifecycle events; returns the unsubscribe function. */
  onContainerEvent(fn: ContainerLifecycleListener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  get subscribed(): boolean {
    return this.source !== undefined;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const onUp = (): void => void this.subscribe();
    const onDown = (): void => this.unsubscribe();
    this.connection.on('connected', onUp);
    this.connection.on('disconnected', onDown);
    this.detach.push(() => this.connection.off('connected', onUp), () => this.connection.off('disconnected', onDown));
    if (this.connection.connected) void this.subscribe();
  }

  stop(): void {
    this.running = false;
    for (const fn of this.detach.splice(0)) fn();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.unsubscribe();
    this.coalescer.fire();
  }

  /** Feeds one engine event through the pipeline (the stream handler; also for tests). */
  handle(e: DockerEventMessage): void {
    if (typeof e.time === 'number') this.lastTime = Math.max(this.lastTime ?? 0, e.time);
    const topic = topicOf(e);
    if (topic) this.coalescer.add(topic);
    const life = lifecycleOf(e);
    if (life) {
      for (const fn of [...this.listeners]) {
        try { fn(life); } catch { /* one listener's bug must not stop the others */ }
      }
    }
  }

  private async subscribe(): Promise<void> {
    if (!this.running || this.source) return;
    if (this.retryTimer) { clearTimeout(this.retryTimer); this.retryTimer = undefined; }
    const ac = new AbortController();
    this.abort = ac;
    const opts: Record<string, unknown> = {
      filters: { type: ['container', 'image', 'volume', 'network'] },
      abortSignal: ac.signal,
    };
    // Replays the last second seen, so nothing between the drop and now is lost.
    if (this.lastTime !== undefined) opts['since'] = String(this.lastTime);
    let source: Readable;
    try {
      source = (await this.docker.getEvents(opts)) as unknown as Readable;
    } catch {
      if (this.abort === ac) this.abort = undefined;
      this.failures++;
      this.scheduleRetry();
      return;
    }
    if (this.abort !== ac || !this.running) { source.destroy(); return; }
    this.source = source;
    const since = monotonicMs();
    let healthy = false;
    const decoder = new StringDecoder('utf8');
    const lines = new JsonLineSplitter((v) => { if (v && typeof v === 'object') this.handle(v as DockerEventMessage); });
    source.on('data', (chunk: Buffer) => {
      if (!healthy) { healthy = true; this.failures = 0; }
      lines.write(decoder.write(chunk));
    });
    const dropped = (): void => {
      if (this.source !== source) return;
      this.source = undefined;
      this.abort = undefined;
      if (healthy || monotonicMs() - since > 10_000) this.failures = 0;
      else this.failures++;
      // Events may have been missed: refetch everything, and find out whether the engine is still there.
      for (const topic of ['containers', 'images', 'volumes', 'networks'] as const) this.coalescer.add(topic);
      void this.connection.check().then((up) => { if (up) this.scheduleRetry(); });
    };
    source.once('error', dropped);
    source.once('close', dropped);
    source.once('end', dropped);
  }

  private unsubscribe(): void {
    const source = this.source;
    this.source = undefined;
    this.abort?.abort();
    this.abort = undefined;
    source?.destroy();
  }

  private scheduleRetry(): void {
    if (!this.running || this.retryTimer) return;
    const delay = Math.min(this.maxRetryMs, this.retryMs * 2 ** Math.max(0, this.failures - 1));
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.connection.connected) void this.subscribe();
    }, delay);
    this.retryTimer.unref?.();
  }
}
