/** The last N log lines, plus live listeners for `wharf logs --follow`. */
export class LogRing {
  private lines: string[] = [];
  private listeners = new Set<(line: string) => void>();

  constructor(private readonly capacity: number) {}

  push(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.capacity) this.lines.splice(0, this.lines.length - this.capacity);
    for (const fn of this.listeners) fn(line);
  }

  tail(n: number): string[] {
    return this.lines.slice(-n);
  }

  follow(fn: (line: string) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
}
