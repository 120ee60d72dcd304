import net from 'node:net';

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

export class QmpError extends Error {
  override name = 'QmpError';
}

/**
 * A minimal QMP client: capabilities negotiation, then one command at a time
 * matched by id. Events (e.g. SHUTDOWN) go to onEvent.
 */
export class QmpClient {
  private socket?: net.Socket;
  private buffer = '';
  private nextId = 1;
  private pending = new Map<string, Pending>();
  private eventListeners = new Set<(name: string, data: unknown) => void>();
  private closeListeners = new Set<() => void>();

  static async connect(path: string, timeoutMs = 5000): Promise<QmpClient> {
    const client = new QmpClient();
    await client.open(path, timeoutMs);
    return client;
  }

  private open(path: string, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = net.createConnection(path);
      const timer = setTimeout(() => { socket.destroy(); reject(new QmpError(`QMP at ${path} did not answer within ${timeoutMs} ms`)); }, timeoutMs);
      let greeted = false;
      socket.setEncoding('utf8');
      socket.on('error', (err) => { clearTimeout(timer); if (!greeted) reject(err); this.failAll(err); });
      socket.on('close', () => { this.failAll(new QmpError('QMP connection closed')); for (const fn of this.closeListeners) fn(); });
      socket.on('data', (chunk: string) => {
        this.buffer += chunk;
        let nl: number;
        while ((nl = this.buffer.indexOf('\n')) >= 0) {
          const line = this.buffer.slice(0, nl).trim();
          this.buffer = this.buffer.slice(nl + 1);
          if (!line) continue;
          const msg = JSON.parse(line) as Record<string, unknown>;
          if ('QMP' in msg && !greeted) {
            greeted = true;
            this.socket = socket;
            this.execute('qmp_capabilities').then(() => { clearTimeout(timer); resolve(); }, reject);
          } else {
            this.handle(msg);
          }
        }
      });
    });
  }

  private handle(msg: Record<string, unknown>): void {
    if (typeof msg.event === 'string') {
      for (const fn of this.eventListeners) fn(msg.event, msg.data);
      return;
    }
    const id = String(msg.id);
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    if (msg.error) {
      const err = msg.error as { desc?: string };
      p.reject(new QmpError(err.desc ?? 'QMP command failed'));
    } else {
      p.resolve(msg.return);
    }
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  execute<T = unknown>(command: string, args?: Record<string, unknown>): Promise<T> {
    const socket = this.socket;
    if (!socket || socket.destroyed) return Promise.reject(new QmpError('QMP is not connected'));
    const id = String(this.nextId++);
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      socket.write(JSON.stringify(args ? { execute: command, arguments: args, id } : { execute: command, id }) + '\n');
    });
  }

  /** HMP commands (hostfwd_add and friends have no QMP equivalent in QEMU 7). */
  async hmp(commandLine: string): Promise<string> {
    return this.execute<string>('human-monitor-command', { 'command-line': commandLine });
  }

  onEvent(fn: (name: string, data: unknown) => void): () => void {
    this.eventListeners.add(fn);
    return () => this.eventListeners.delete(fn);
  }

  onClose(fn: () => void): () => void {
    this.closeListeners.add(fn);
    return () => this.closeListeners.delete(fn);
  }

  close(): void {
    this.socket?.destroy();
  }
}
