/**
 * Step counter on stderr: "[phase 3/9] Downloading packages 12/54 (22%)".
 * On a TTY the per-item line is rewritten in place; in logs (CI, the app) every
 * 10% is printed on its own line so the log stays short but shows movement.
 */
export class Progress {
  private phaseIndex = 0;
  private total = 0;
  private done = 0;
  private label = '';
  private lastPct = -1;
  private readonly started = Date.now();
  private phaseStarted = Date.now();

  constructor(
    private readonly phases: number,
    private readonly out: NodeJS.WriteStream = process.stderr,
  ) {}

  phase(label: string, total = 0): void {
    this.endLine();
    this.phaseIndex += 1;
    this.label = label;
    this.total = total;
    this.done = 0;
    this.lastPct = -1;
    this.phaseStarted = Date.now();
    this.out.write(`[${this.phaseIndex}/${this.phases}] ${label}${total ? ` (0/${total})` : ''}\n`);
  }

  tick(item = ''): void {
    this.done += 1;
    if (!this.total) return;
    const pct = Math.floor((this.done / this.total) * 100);
    const text = `      ${this.done}/${this.total} (${pct}%) ${item}`;
    if (this.out.isTTY) {
      this.out.write(`\r\x1b[K${text.slice(0, (this.out.columns || 100) - 1)}`);
    } else if (pct >= this.lastPct + 10 || this.done === this.total) {
      this.out.write(`${text}\n`);
      this.lastPct = pct;
    }
  }

  /** For one long step without sub-steps (mksquashfs): shows it is still alive. */
  async during<T>(work: Promise<T>, everyMs = 15000): Promise<T> {
    const started = Date.now();
    const timer = setInterval(() => {
      const secs = Math.round((Date.now() - started) / 1000);
      if (this.out.isTTY) this.out.write(`\r\x1b[K      … ${secs}s`);
      else this.out.write(`      … ${secs}s\n`);
    }, this.out.isTTY ? 1000 : everyMs);
    try {
      return await work;
    } finally {
      clearInterval(timer);
      if (this.out.isTTY) this.out.write('\r\x1b[K');
    }
  }

  info(message: string): void {
    this.endLine();
    this.out.write(`      ${message}\n`);
  }

  finish(message: string): void {
    this.endLine();
    const secs = ((Date.now() - this.started) / 1000).toFixed(1);
    this.out.write(`${message} (${secs}s)\n`);
  }

  private endLine(): void {
    if (this.out.isTTY && this.total && this.done) this.out.write('\n');
    if (this.label && this.phaseStarted) this.phaseStarted = Date.now();
    this.total = 0;
    this.done = 0;
  }
}
