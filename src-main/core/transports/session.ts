import { randomUUID } from 'node:crypto';
import type { CallRequest, ServerMessage } from '../contract/wire.js';
import type { EventBus } from '../util/event-bus.js';
import type { StreamRegistry } from '../util/streams.js';
import { runAsStreamOwner } from '../util/streams.js';
import type { Dispatch } from './dispatcher.js';

/**
 * One connected client on any message transport (control socket, dashboard
 * WebSocket): it dispatches calls as that client, so streams it opens are
 * closed when it leaves, and it receives every core event.
 */
export function openSession(deps: { dispatch: Dispatch; bus: EventBus; streams: StreamRegistry }, send: (msg: ServerMessage) => void): { handle(msg: unknown): void; close(): void; owner: string } {
  const owner = `client-${randomUUID()}`;
  const unsubscribe = deps.bus.onAny((name, payload) => {
    // Stream data and progress go only to the client that owns the stream.
    if (payload !== null && typeof payload === 'object' && typeof (payload as { streamId?: unknown }).streamId === 'string') {
      const streamOwner = deps.streams.ownerOf((payload as { streamId: string }).streamId);
      if (streamOwner && streamOwner !== owner) return;
    }
    send({ type: 'event', name, payload } as ServerMessage);
  });
  return {
    owner,
    handle(msg: unknown) {
      const req = msg as Partial<CallRequest>;
      if (!req || req.type !== 'call' || typeof req.id !== 'number' || typeof req.method !== 'string') {
        send({ type: 'result', id: typeof req?.id === 'number' ? req.id : -1, ok: false, error: { name: 'BadRequest', code: 'bad-request', message: 'Expected {"type":"call","id":<number>,"method":"service.name","args":[…]}' } });
        return;
      }
      void runAsStreamOwner(owner, () => deps.dispatch(req.method!, req.args ?? [])).then((res) => send({ ...res, id: req.id! }));
    },
    close() {
      unsubscribe();
      deps.streams.closeOwner(owner);
    },
  };
}
