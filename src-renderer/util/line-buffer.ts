import { stripAnsi } from './term-screen.js';

/** Splits a stream of chunks into lines (ANSI stripped), keeping at most `max` lines. */
export class LineBuffer {
  lines: string[] = [];
  partial = '';
  constructor(readonly max = 5000) {}

  push(chunk: string): void {
    const text = this.partial + stripAnsi(chunk).replace(/\r\n/g, '\n').replace(/\r/g, '\n');
    const parts = text.split('\n');
    this.partial = parts.pop() ?? '';
    this.lines.push(...parts);
    if (this.lines.length > this.max) this.lines.splice(0, this.lines.length - this.max);
  }

  all(): string[] {
    return this.partial ? [...this.lines, this.partial] : this.lines;
  }
}
