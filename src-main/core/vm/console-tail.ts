import fs from 'node:fs';
import { detached } from '../util/detached.js';

/**
 * Follows a growing log file by polling its size. QEMU writes the serial
 * console to a plain file so a later host process can still read it after a
 * reattach; polling works the same on every OS, unlike fs.watch.
 */
export class ConsoleTail {
  private offset = 0;
  private partial = '';
  private timer?: NodeJS.Timeout;
  private reading = false;

  constructor(private readonly file: string, private readonly onLine: (line: string) => void, private readonly intervalMs = 100) {}

  start(fromOffset = 0): void {
    this.offset = fromOffset;
    // A console file removed under us (a home being deleted) must not end the core.
    this.timer = setInterval(() => detached(() => this.poll(), (line) => console.error(line), 'console'), this.intervalMs);
  }

  /** Reads whatever is new right now (also used on stop so no line is lost). */
  async poll(): Promise<void> {
    if (this.reading) return;
    this.reading = true;
    try {
      const stat = await fs.promises.stat(this.file).catch(() => undefined);
      if (!stat) return;
      if (stat.size < this.offset) this.offset = 0;
      if (stat.size === this.offset) return;
      const fh = await fs.promises.open(this.file, 'r');
      try {
        const length = Math.min(stat.size - this.offset, 1 << 20);
        const buf = Buffer.alloc(length);
        const { bytesRead } = await fh.read(buf, 0, length, this.offset);
        this.offset += bytesRead;
        this.partial += buf.subarray(0, bytesRead).toString('utf8');
      } finally {
        await fh.close();
      }
      const lines = this.partial.split(/\r?\n/);
      this.partial = lines.pop() ?? '';
      for (const line of lines) this.onLine(stripAnsi(line));
    } finally {
      this.reading = false;
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}

const ESC = String.fromCharCode(27);
const ANSI = new RegExp(`${ESC}\\[[0-9;?]*[A-Za-z]|${ESC}c`, 'g');

/** SeaBIOS and the kernel emit terminal escapes; log lines should not carry them. */
export function stripAnsi(line: string): string {
  return line.replace(ANSI, '');
}
