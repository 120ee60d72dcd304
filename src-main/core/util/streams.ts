import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import { UserError, errorMessage } from '../errors.js';
import type { EventBus } from './event-bus.js';
import { monotonicMs } from './clock.js';

/**
 * Long-lived outputs (container logs, exec shells, image pulls, the VM
 * console) are handed to clients as stream ids. Output goes out on the bus as
 * 'stream.data' and finishes with one 'stream.end'. Input comes back through
 * write/resize/close.
 *
 * Every stream has an owner: the client (transport connection) that opened
 * it. Transports run each call inside `runAsStreamOwner(clientId, …)` and call
 * `closeOwner(clientId)` when that client goes away, so a closed window never
 * leaves a shell or a `logs --follow` running. Only the owner (or core code,
 * which runs outside any owner context) may write to, resize or close a stream.
 *
 * Output is bounded per stream: it is sent at most `maxCharsPerSecond`, the
 * producer is told to pause once `highWaterMark` characters are queued, and
 * anything beyond `maxBacklog` is dropped and replaced by a one-line notice.
 */

/** Owner of streams opened outside any client call (core code, tests). */
export const CORE_OWNER = 'core';

const ownerStorage = new AsyncLocalStorage<string>();

/** Runs `fn` (typically one dispatched call) on behalf of client `owner`. */
export function runAsStreamOwner<T>(owner: string, fn: () => T): T {
  return ownerStorage.run(owner, fn);
}

/** The client the current call runs for, or undefined in core code. */
export function currentStreamOwner(): string | undefined {
  return ownerStorage.getStore();
}

export interface StreamRegistryOptions {
  /** Open streams in total. Default 256. */
  maxStreams?: number;
  /** Open streams per owner. Default 32. */
  maxStreamsPerOwner?: number;
  /** Output rate per stream, in characters per second. Default 2 MiB/s. */
  maxCharsPerSecond?: number;
  /** Characters sent at once after an idle period. Default a quarter second's worth. */
  burstChars?: number;
  /** Pause the producer above this many queued characters. Default 256 Ki. */
  highWaterMark?: number;
  /** Drop output above this many queued characters. Default 1 Mi. */
  maxBacklog?: number;
  /** Tick of the output pump while any stream has a backlog. Default 25 ms. */
  flushIntervalMs?: number;
}

export interface OpenStreamOptions {
  /** What it is, for diagnostics: 'logs', 'exec', 'pull', 'console', … */
  kind: string;
  /** Defaults to the current call's owner, else CORE_OWNER. */
  owner?: string;
  /** Input from the client (keystrokes); streams without it refuse writes. */
  write?: (data: string) => void | Promise<void>;
  /** Terminal size change; streams without it ignore resizes. */
  resize?: (cols: number, rows: number) => void | Promise<void>;
  /** Releases the underlying resource. Called exactly once, however the stream ends. */
  dispose?: () => void;
}

export interface OpenStream {
  readonly id: string;
  readonly kind: string;
  readonly owner: string;
  /** True once closed by a client or ended; further pushes are ignored. */
  readonly closed: boolean;
  /** Queues output. Returns false when the producer should pause until onDrain. */
  push(data: string): boolean;
  /** Runs `fn` once the backlog has fallen below half the high-water mark, or the stream closed. */
  onDrain(fn: () => void): void;
  /** Sends what is queued, then 'stream.end' (with `error` when it failed). */
  end(error?: string): void;
}

export interface StreamInfo {
  id: string;
  kind: string;
  owner: string;
  backlog: number;
  dropped: number;
  sent: number;
}

interface DropNotice { dropped: number }
type Piece = string | DropNotice;

const DEFAULTS: Required<StreamRegistryOptions> = {
  maxStreams: 256,
  maxStreamsPerOwner: 32,
  maxCharsPerSecond: 2 * 1024 * 1024,
  burstChars: 512 * 1024,
  highWaterMark: 256 * 1024,
  maxBacklog: 1024 * 1024,
  flushIntervalMs: 25,
};

class Entry implements OpenStream {
  closed = false;
  ending: { error?: string } | undefined;
  pieces: Piece[] = [];
  backlog = 0;
  dropped = 0;
  sent = 0;
  tokens: number;
  lastRefill: number;
  drainWaiters: Array<() => void> = [];
  wantsDrain = false;

  constructor(
    readonly registry: StreamRegistry,
    readonly id: string,
    readonly kind: string,
    readonly owner: string,
    readonly handlers: OpenStreamOptions,
    burst: number,
  ) {
    this.tokens = burst;
    this.lastRefill = monotonicMs();
  }

  push(data: string): boolean {
    if (this.closed || this.ending || data.length === 0) return !this.closed;
    return this.registry._push(this, data);
  }

  onDrain(fn: () => void): void {
    if (this.closed || !this.wantsDrain) { fn(); return; }
    this.drainWaiters.push(fn);
  }

  end(error?: string): void {
    if (this.closed || this.ending) return;
    this.ending = error === undefined ? {} : { error };
    this.registry._schedule(this);
  }
}

export class StreamRegistry {
  private readonly opts: Required<StreamRegistryOptions>;
  private readonly streams = new Map<string, Entry>();
  /** Clients that are not reading: their streams keep (bounded) backlogs and send nothing. */
  private readonly pausedOwners = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private timerIsTick = false;

  constructor(private readonly bus: EventBus, options: StreamRegistryOptions = {}) {
    this.opts = { ...DEFAULTS, ...options };
    if (options.burstChars === undefined) this.opts.burstChars = Math.max(1, Math.floor(this.opts.maxCharsPerSecond / 4));
  }

  /** Registers a new stream and returns the producer side. */
  open(options: OpenStreamOptions): OpenStream {
    const owner = options.owner ?? currentStreamOwner() ?? CORE_OWNER;
    if (this.streams.size >= this.opts.maxStreams) {
      throw new UserError(`Too many open streams (${this.opts.maxStreams}); close some logs or terminals first.`, 'too-many-streams');
    }
    let mine = 0;
    for (const s of this.streams.values()) if (s.owner === owner) mine++;
    if (mine >= this.opts.maxStreamsPerOwner) {
      throw new UserError(`Too many open streams for this window (${this.opts.maxStreamsPerOwner}); close some logs or terminals first.`, 'too-many-streams');
    }
    let id: string;
    do id = `s_${randomBytes(12).toString('base64url')}`; while (this.streams.has(id));
    const entry = new Entry(this, id, options.kind, owner, options, this.opts.burstChars);
    this.streams.set(id, entry);
    return entry;
  }

  /** Sends keystrokes to a stream's input. */
  async write(id: string, data: string): Promise<void> {
    const entry = this.lookup(id);
    if (!entry.handlers.write) throw new UserError(`Stream ${id} does not accept input.`, 'read-only-stream');
    try {
      await entry.handlers.write(data);
    } catch (err) {
      throw new UserError(`Could not write to the stream: ${errorMessage(err)}`, 'stream-write');
    }
  }

  /** Resizes a terminal stream; a no-op for streams that are not terminals. */
  async resize(id: string, cols: number, rows: number): Promise<void> {
    const entry = this.lookup(id);
    if (!entry.handlers.resize) return;
    try {
      await entry.handlers.resize(cols, rows);
    } catch (err) {
      throw new UserError(`Could not resize the terminal: ${errorMessage(err)}`, 'stream-resize');
    }
  }

  /** Closes a stream at a client's request; closing an unknown or finished stream is a no-op. */
  async close(id: string): Promise<void> {
    const entry = this.streams.get(id);
    if (!entry) return;
    this.checkOwner(entry);
    this.finish(entry, undefined, true);
  }

  /** Closes every stream `owner` opened; transports call this when a client disconnects. */
  closeOwner(owner: string): number {
    this.pausedOwners.delete(owner);
    let n = 0;
    for (const entry of [...this.streams.values()]) {
      if (entry.owner === owner) { this.finish(entry, undefined, true); n++; }
    }
    return n;
  }

  /**
   * Holds every stream of `owner` (its transport is not reading). Producers
   * stop at the high-water mark and anything past the backlog limit is
   * dropped with a notice, so a paused client costs a bounded amount.
   */
  pauseOwner(owner: string): void {
    this.pausedOwners.add(owner);
  }

  resumeOwner(owner: string): void {
    if (!this.pausedOwners.delete(owner)) return;
    for (const entry of this.streams.values()) {
      if (entry.owner === owner) { this._schedule(entry); return; }
    }
  }

  /** Closes everything (shutdown, engine gone). */
  closeAll(error?: string): void {
    for (const entry of [...this.streams.values()]) this.finish(entry, error, true);
  }

  /** True while the stream is open (and during its own 'stream.end' event). */
  has(id: string): boolean {
    return this.streams.has(id);
  }

  /**
   * Who owns a stream, for routing its events to that client only. Defined
   * for open streams, including during their 'stream.data' and 'stream.end'
   * events; undefined for unknown ids.
   */
  ownerOf(id: string): string | undefined {
    return this.streams.get(id)?.owner;
  }

  list(): StreamInfo[] {
    return [...this.streams.values()].map((e) => ({
      id: e.id, kind: e.kind, owner: e.owner, backlog: e.backlog, dropped: e.dropped, sent: e.sent,
    }));
  }

  private lookup(id: string): Entry {
    const entry = this.streams.get(id);
    if (!entry || entry.closed) throw new UserError(`Stream ${id} is closed or does not exist.`, 'no-such-stream');
    this.checkOwner(entry);
    return entry;
  }

  private checkOwner(entry: Entry): void {
    const caller = currentStreamOwner();
    if (caller !== undefined && caller !== entry.owner) {
      // Same message as a missing stream: ids of other clients' streams are not an oracle.
      throw new UserError(`Stream ${entry.id} is closed or does not exist.`, 'no-such-stream');
    }
  }

  /** @internal */
  _push(entry: Entry, data: string): boolean {
    const room = this.opts.maxBacklog - entry.backlog;
    if (room <= 0) {
      this.noteDropped(entry, data.length);
    } else if (data.length > room) {
      const cut = safeCut(data, room);
      entry.pieces.push(data.slice(0, cut));
      entry.backlog += cut;
      this.noteDropped(entry, data.length - cut);
    } else {
      entry.pieces.push(data);
      entry.backlog += data.length;
    }
    this._schedule(entry);
    if (entry.backlog >= this.opts.highWaterMark) {
      entry.wantsDrain = true;
      return false;
    }
    return !entry.wantsDrain;
  }

  private noteDropped(entry: Entry, n: number): void {
    entry.dropped += n;
    const last = entry.pieces[entry.pieces.length - 1];
    if (last !== undefined && typeof last !== 'string') last.dropped += n;
    else entry.pieces.push({ dropped: n });
  }

  /** @internal Makes sure the pump runs soon: at once if the stream has tokens, else on the next tick. */
  _schedule(entry: Entry): void {
    if (this.timer && !this.timerIsTick) return;
    this.refill(entry);
    if (entry.tokens > 0 || entry.backlog === 0) {
      if (this.timer) clearTimeout(this.timer);
      this.timerIsTick = false;
      this.timer = setTimeout(() => this.pump(), 0);
    } else if (!this.timer) {
      this.timerIsTick = true;
      this.timer = setTimeout(() => this.pump(), this.opts.flushIntervalMs);
    }
  }

  private refill(entry: Entry): void {
    const now = monotonicMs();
    const elapsed = Math.max(0, now - entry.lastRefill);
    entry.lastRefill = now;
    entry.tokens = Math.min(this.opts.burstChars, entry.tokens + (elapsed * this.opts.maxCharsPerSecond) / 1000);
  }

  private pump(): void {
    this.timer = undefined;
    let pending = false;
    for (const entry of [...this.streams.values()]) {
      if (entry.closed || this.pausedOwners.has(entry.owner)) continue;
      this.refill(entry);
      this.flushEntry(entry);
      if (entry.backlog > 0) pending = true;
      else if (entry.ending) this.finish(entry, entry.ending.error, false);
    }
    if (pending && !this.timer) {
      this.timerIsTick = true;
      this.timer = setTimeout(() => this.pump(), this.opts.flushIntervalMs);
    }
  }

  private flushEntry(entry: Entry): void {
    let out = '';
    const initial = Math.floor(entry.tokens);
    let budget = initial;
    while (entry.pieces.length > 0 && budget > 0) {
      const piece = entry.pieces[0]!;
      if (typeof piece !== 'string') {
        out += `\r\n[wharf: ${piece.dropped} characters of output were dropped because the client could not keep up]\r\n`;
        entry.pieces.shift();
        continue;
      }
      if (piece.length <= budget) {
        out += piece;
        budget -= piece.length;
        entry.backlog -= piece.length;
        entry.pieces.shift();
      } else {
        // A budget of one cannot carry a surrogate pair: overdraw by one rather than stall.
        const cut = safeCut(piece, budget) || Math.min(2, piece.length);
        out += piece.slice(0, cut);
        entry.pieces[0] = piece.slice(cut);
        entry.backlog -= cut;
        budget -= cut;
      }
    }
    // A drop notice right after the last string is sent with it.
    while (entry.pieces.length > 0 && typeof entry.pieces[0] !== 'string') {
      out += `\r\n[wharf: ${(entry.pieces.shift() as DropNotice).dropped} characters of output were dropped because the client could not keep up]\r\n`;
    }
    // Keep the fraction: at low rates a tick refills less than one character.
    entry.tokens -= initial - budget;
    if (out.length > 0) {
      entry.sent += out.length;
      this.bus.emit('stream.data', { streamId: entry.id, data: out });
    }
    if (entry.wantsDrain && entry.backlog < this.opts.highWaterMark / 2) {
      entry.wantsDrain = false;
      const waiters = entry.drainWaiters.splice(0);
      for (const fn of waiters) fn();
    }
  }

  private finish(entry: Entry, error: string | undefined, discard: boolean): void {
    if (entry.closed) return;
    if (discard) { entry.pieces = []; entry.backlog = 0; }
    entry.closed = true;
    const waiters = entry.drainWaiters.splice(0);
    try { entry.handlers.dispose?.(); } catch { /* the resource is gone either way */ }
    // Producers waiting for room find out the stream is closed.
    for (const fn of waiters) { try { fn(); } catch { /* ignore */ } }
    // Still registered while 'stream.end' goes out, so transports can route it to the owner.
    try {
      this.bus.emit('stream.end', error === undefined ? { streamId: entry.id } : { streamId: entry.id, error });
    } finally {
      this.streams.delete(entry.id);
    }
  }
}

/** Largest cut ≤ n that does not split a UTF-16 surrogate pair. */
function safeCut(s: string, n: number): number {
  if (n <= 0) return 0;
  if (n >= s.length) return s.length;
  const code = s.charCodeAt(n - 1);
  return code >= 0xd800 && code <= 0xdbff ? n - 1 : n;
}

/**
 * Feeds a byte stream into an OpenStream as UTF-8 text, pausing the source
 * while the registry's backlog is full. Ends the OpenStream when the source
 * ends or fails. Closing the OpenStream does not destroy the source: pass
 * `dispose: () => readable.destroy()` when opening it.
 */
export function pipeReadable(stream: OpenStream, readable: Readable): void {
  const decoder = new StringDecoder('utf8');
  readable.on('data', (chunk: Buffer | string) => {
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (text.length > 0 && !stream.push(text)) {
      readable.pause();
      stream.onDrain(() => readable.resume());
    }
  });
  readable.once('end', () => {
    const rest = decoder.end();
    if (rest) stream.push(rest);
    stream.end();
  });
  readable.once('error', (err) => stream.end(errorMessage(err)));
  readable.once('close', () => stream.end());
}

/**
 * Pushes a (possibly large) text in pieces, waiting for drain whenever the
 * backlog is full, then ends the stream. Nothing is dropped: use it for finite
 * output such as a non-following log.
 */
export async function feedText(stream: OpenStream, text: string, pieceChars = 64 * 1024): Promise<void> {
  for (let at = 0; at < text.length && !stream.closed;) {
    let end = Math.min(text.length, at + pieceChars);
    const code = text.charCodeAt(end - 1);
    if (end < text.length && code >= 0xd800 && code <= 0xdbff) end--;
    const more = stream.push(text.slice(at, end));
    at = end;
    if (!more && at < text.length) await new Promise<void>((resolve) => stream.onDrain(resolve));
  }
  stream.end();
}
