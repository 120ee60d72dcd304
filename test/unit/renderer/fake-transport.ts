import type { CallResponse, EventMap, EventMessage, EventName } from '../../../src-main/core/contract/index.js';
import type { Transport } from '../../../src-renderer/ipc/index.js';

type Handler = (...args: unknown[]) => unknown;

/** A scripted transport for store tests: answers calls from handlers and lets tests push events. */
export class FakeTransport implements Transport {
  calls: Array<{ method: string; args: unknown[] }> = [];
  private readonly listeners = new Set<(msg: EventMessage) => void>();
  private readonly connListeners = new Set<(c: boolean) => void>();

  constructor(public handlers: Record<string, Handler> = {}) {}

  count(method: string): number {
    return this.calls.filter((c) => c.method === method).length;
  }

  async call(method: string, args: unknown[]): Promise<CallResponse> {
    this.calls.push({ method, args });
    const h = this.handlers[method];
    try {
      if (!h) throw Object.assign(new Error(`no handler for ${method}`), { name: 'NotImplemented' });
      const result = await h(...args);
      return { type: 'result', id: this.calls.length, ok: true, result };
    } catch (err) {
      const e = err as Error;
      return { type: 'result', id: this.calls.length, ok: false, error: { name: e.name, message: e.message } };
    }
  }

  listen(fn: (msg: EventMessage) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  onConnectionChange(fn: (c: boolean) => void): () => void {
    this.connListeners.add(fn);
    return () => this.connListeners.delete(fn);
  }

  emit<E extends EventName>(name: E, payload: EventMap[E]): void {
    for (const fn of [...this.listeners]) fn({ type: 'event', name, payload });
  }

  setConnected(c: boolean): void {
    for (const fn of [...this.connListeners]) fn(c);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A promise the test resolves by hand, to hold a call in flight. */
export function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
}
