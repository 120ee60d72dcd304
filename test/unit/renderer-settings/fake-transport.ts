import type { CallResponse, EventMap, EventMessage, EventName } from '../../../src-main/core/contract/index.js';
import type { Transport } from '../../../src-renderer/ipc/index.js';

export type Handler = (...args: unknown[]) => unknown | Promise<unknown>;

/** An in-memory transport: scripted method handlers, a call log, and events pushed by the test. */
export class FakeTransport implements Transport {
  calls: Array<{ method: string; args: unknown[] }> = [];
  private listeners = new Set<(msg: EventMessage) => void>();
  private nextId = 1;

  constructor(public handlers: Record<string, Handler>) {}

  async call(method: string, args: unknown[]): Promise<CallResponse> {
    this.calls.push({ method, args });
    const id = this.nextId++;
    const handler = this.handlers[method];
    if (!handler) return { type: 'result', id, ok: false, error: { name: 'NotImplemented', message: `no fake for ${method}` } };
    try {
      return { type: 'result', id, ok: true, result: await handler(...args) };
    } catch (err) {
      const e = err as Error;
      return { type: 'result', id, ok: false, error: { name: e.name, message: e.message } };
    }
  }

  listen(fn: (msg: EventMessage) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  emit<E extends EventName>(name: E, payload: EventMap[E]): void {
    for (const fn of this.listeners) fn({ type: 'event', name, payload });
  }

  listenerCount(): number {
    return this.listeners.size;
  }

  callsOf(method: string): unknown[][] {
    return this.calls.filter((c) => c.method === method).map((c) => c.args);
  }
}

export class NamedError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

export const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));
