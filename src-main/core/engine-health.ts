/**
 * Is the engine answering? A bounded ping of dockerd every few seconds. A VM
 * that is stopped by the host (SIGSTOP, a debugger, a host that swaps it out)
 * or a dockerd that deadlocked still accepts TCP connections, so without this
 * every docker client would wait forever. After `unhealthyAfterMs` without an
 * answer the engine is reported as not answering; the first answer after that
 * clears it, without a restart.
 */
export interface EngineHealthOptions {
  /** Resolves when dockerd answered, rejects (or never settles) otherwise. */
  ping: (timeoutMs: number) => Promise<void>;
  onChange: (answering: boolean) => void;
  intervalMs?: number;
  pingTimeoutMs?: number;
  unhealthyAfterMs?: number;
  /** Monotonic milliseconds (a wall clock jumps after a host sleep). */
  now?: () => number;
}

export class EngineHealth {
  private timer?: NodeJS.Timeout;
  private lastAnswer = 0;
  private answering = true;
  private running = false;
  private readonly now: () => number;

  constructor(private readonly opts: EngineHealthOptions) {
    this.now = opts.now ?? (() => performance.now());
  }

  /** True until dockerd has failed to answer for `unhealthyAfterMs`. */
  get isAnswering(): boolean {
    return this.answering;
  }

  /** Milliseconds without an answer, while not answering. */
  get silentMs(): number {
    return this.answering ? 0 : Math.round(this.now() - this.lastAnswer);
  }

  start(): void {
    this.stop();
    this.running = true;
    this.lastAnswer = this.now();
    this.answering = true;
    void this.tick();
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.answering) {
      this.answering = true;
      this.opts.onChange(true);
    }
  }

  private async tick(): Promise<void> {
    const timeoutMs = this.opts.pingTimeoutMs ?? 5000;
    let ok = false;
    try {
      // The ping itself is bounded too, in case the probe forgets its own timeout.
      await Promise.race([
        this.opts.ping(timeoutMs),
        new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), timeoutMs + 500).unref()),
      ]);
      ok = true;
    } catch {}
    if (!this.running) return;
    this.record(ok);
    this.timer = setTimeout(() => void this.tick(), this.opts.intervalMs ?? 2000);
    this.timer.unref();
  }

  private record(ok: boolean): void {
    const now = this.now();
    if (ok) {
      this.lastAnswer = now;
        if (!this.answering) {
        this.answering = true;
        this.opts.onChange(true);
      }
      return;
    }
    if (this.answering && now - this.lastAnswer >= (this.opts.unhealthyAfterMs ?? 10_000)) {
      this.answering = false;
      this.opts.onChange(false);
    }
  }
}
