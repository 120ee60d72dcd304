/**
 * Collects keys and hands them over once, `delayMs` after the first one
 * arrived: fifty container events in a burst become one refetch per topic.
 * The delay is counted from the first key, so a steady stream of events still
 * flushes every `delayMs` instead of starving.
 */
export class Coalescer<K> {
  private pending = new Set<K>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly delayMs: number, private readonly flush: (keys: K[]) => void) {}

  add(key: K): void {
    this.pending.add(key);
    if (!this.timer) {
      this.timer = setTimeout(() => this.fire(), this.delayMs);
      this.timer.unref?.();
    }
  }

  /** Flushes now (used at shutdown and in tests). */
  fire(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.size === 0) return;
    const keys = [...this.pending];
    this.pending.clear();
    this.flush(keys);
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
  }
}
