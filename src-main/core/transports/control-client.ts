import net from 'node:net';
import type { CallResponse, EventMessage, ServerMessage } from '../contract/wire.js';
import { onJsonLines } from './ndjson.js';

/** A client of control.sock: the CLI's and the dashboard relay's way into the core. */
export class ControlClient {
  private nextId = 1;
  private pending = new Map<number, (r: CallResponse) => void>();
  private listeners = new Set<(e: EventMessage) => void>();
  private closeListeners = new Set<() => void>();

  private constructor(private readonly socket: net.Socket) {
    onJsonLines(socket, (msg) => {
      const m = msg as ServerMessage;
      if (m.type === 'result') {
        this.pending.get(m.id)?.(m);
        this.pending.delete(m.id);
      } else if (m.type === 'event') {
        for (const fn of this.listeners) fn(m);
      }
    }, () => undefined);
    socket.on('close', () => {
      for (const [id, done] of this.pending) done({ type: 'result', id, ok: false, error: { name: 'Disconnected', message: 'The Wharf core closed the connection.' } });
      this.pending.clear();
      for (const fn of this.closeListeners) fn();
    });
    socket.on('error', () => undefined);
  }

  static connect(path: string, timeoutMs = 3000): Promise<ControlClient> {
    return new Promise((resolve, reject) => {
      const socket = net.createConnection(path);
      const timer = setTimeout(() => { socket.destroy(); reject(new Error(`no answer from ${path}`)); }, timeoutMs);
      socket.once('connect', () => { clearTimeout(timer); socket.off('error', reject); resolve(new ControlClient(socket)); });
      socket.once('error', (err) => { clearTimeout(timer); reject(err); });
    });
  }

  call(method: string, args: unknown[]): Promise<CallResponse> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.socket.write(JSON.stringify({ type: 'call', id, method, args }) + '\n');
    });
  }

  listen(fn: (e: EventMessage) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Stops reading (the reader downstream is behind); the core then holds what it sends. */
  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  onClose(fn: () => void): void {
    this.closeListeners.add(fn);
  }

  close(): void {
    this.socket.end();
    this.socket.destroy();
  }
}
