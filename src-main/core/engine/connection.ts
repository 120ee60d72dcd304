import { EventEmitter } from 'node:events';
import type Docker from 'dockerode';
import type { Topic } from '../contract/types.js';
import { errorMessage } from '../errors.js';
import type { EventBus } from '../util/event-bus.js';
import { pingEngine } from './docker-client.js';

export type ConnectionState = 'connecting' | 'connected' | 'disconnected';

export interface EngineConnectionEvents {
  /** The engine answered a ping after being unreachable (or for the first time). */
  connected: [];
  /** The engine stopped answering; `reason` is the last error. */
  disconnected: [reason: string];
}

export interface EngineConnectionOptions {
  /** Ping period while connected. Default 5 s. */
  pingIntervalMs?: number;
  /** Ping period while disconnected. Default 1 s. */
  retryIntervalMs?: number;
  /** A ping slower than this counts as a failure. Default 3 s. */
  pingTimeoutMs?: number;
  /** Topics invalidated on every (re)connect so clients reconcile. */
  reconcileTopics?: Topic[];
}

/**
 * Watches whether the engine answers. Emits 'connected' / 'disconnected' on
 * transitions, and on each connect emits 'invalidate' for every topic: while
 * the engine was away clients may have cached errors or missed events.
 * `check()` pings at once (the events watcher calls it when its stream drops).
 */
export class EngineConnection extends EventEmitter<EngineConnectionEvents> {
  private _state: ConnectionState = 'connecting';
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private inFlight: Promise<boolean> | undefined;
  private lastError = '';
  private readonly opts: Required<EngineConnectionOptions>;

  constructor(private readonly docker: Docker, private readonly bus: EventBus, options: EngineConnectionOptions = {}) {
    super();
    this.opts = {
      pingIntervalMs: 5000,
      retryIntervalMs: 1000,
      pingTimeoutMs: 3000,
      reconcileTopics: ['containers', 'images', 'volumes'],
      ...options,
    };
  }

  get state(): ConnectionState {
    return this._state;
  }

  get connected(): boolean {
    return this._state === 'connected';
  }

  get lastErrorMessage(): string {
    return this.lastError;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.check();
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Pings now; resolves to whether the engine answered. Concurrent calls share one ping. */
  check(): Promise<boolean> {
    this.inFlight ??= this.ping().finally(() => {
      this.inFlight = undefined;
      this.scheduleNext();
    });
    return this.inFlight;
  }

  private async ping(): Promise<boolean> {
    try {
      await pingEngine(this.docker, this.opts.pingTimeoutMs);
      this.transition('connected');
      return true;
    } catch (err) {
      this.lastError = errorMessage(err);
      this.transition('disconnected');
      return false;
    }
  }

  private transition(next: 'connected' | 'disconnected'): void {
    if (this._state === next) return;
    this._state = next;
    if (next === 'connected') {
      this.emit('connected');
      for (const topic of this.opts.reconcileTopics) this.bus.emit('invalidate', { topic });
    } else {
      this.emit('disconnected', this.lastError);
    }
  }

  private scheduleNext(): void {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    const delay = this.connected ? this.opts.pingIntervalMs : this.opts.retryIntervalMs;
    this.timer = setTimeout(() => void this.check(), delay);
    this.timer.unref?.();
  }
}
