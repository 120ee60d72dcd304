import type { WebSocket } from 'ws';
import type { CallResponse } from '../contract/wire.js';
import { ControlClient } from './control-client.js';

/** Above this many bytes queued for a browser, stop reading from the core until it drains. */
export const RELAY_PAUSE_ABOVE = 1024 * 1024;
/** A browser this far behind (a hung tab) is dropped; its streams close with it. */
export const RELAY_DROP_ABOVE = 16 * 1024 * 1024;
/** A browser that reads nothing for this long while we hold the core back is dropped too. */
export const RELAY_STALL_MS = 10_000;
const DRAIN_POLL_MS = 50;

function badRequest(id: number, message: string): CallResponse {
  return { type: 'result', id, ok: false, error: { name: 'BadRequest', code: 'bad-request', message } };
}

/**
 * Relays one browser WebSocket to its own control-socket connection,
 * message for message. The core validates every call. What the browser does
 * not read stays bounded: reading from the core pauses while the socket's
 * buffer is full (the core then pauses that client's streams), and a browser
 * that stops reading altogether is dropped.
 */
export function relayToCore(ws: WebSocket, controlSocket: string): void {
  // The browser may call as soon as the socket opens, before the core
  // connection exists: listen first and hold calls until it is ready.
  let core: ControlClient | undefined;
  let drainTimer: NodeJS.Timeout | undefined;
  const waiting: unknown[] = [];
  ws.on('error', () => ws.terminate());

  const watchDrain = () => {
    if (drainTimer || !core) return;
    core.pause();
    const since = performance.now();
    drainTimer = setInterval(() => {
      if (ws.readyState !== ws.OPEN) { clearInterval(drainTimer); return; }
      if (performance.now() - since > RELAY_STALL_MS) { clearInterval(drainTimer); ws.terminate(); return; }
      if (ws.bufferedAmount < RELAY_PAUSE_ABOVE / 2) {
        clearInterval(drainTimer);
        drainTimer = undefined;
        core?.resume();
      }
    }, DRAIN_POLL_MS);
  };
  const send = (msg: unknown) => {
    if (ws.readyState !== ws.OPEN) return;
    ws.send(JSON.stringify(msg));
    if (ws.bufferedAmount > RELAY_DROP_ABOVE) ws.terminate();
    else if (ws.bufferedAmount > RELAY_PAUSE_ABOVE) watchDrain();
  };

  const forward = async (data: unknown) => {
    let msg: { type?: unknown; id?: unknown; method?: unknown; args?: unknown };
    try {
      msg = JSON.parse(String(data)) as typeof msg;
    } catch {
      send(badRequest(-1, 'Messages must be JSON.'));
      return;
    }
    const id = typeof msg?.id === 'number' ? msg.id : -1;
    if (!msg || msg.type !== 'call' || typeof msg.id !== 'number' || typeof msg.method !== 'string') {
      send(badRequest(id, 'Expected {"type":"call","id":<number>,"method":"service.name","args":[…]}.'));
      return;
    }
    // Same rule as the control socket: no args means none, not [undefined].
    if (msg.args !== undefined && !Array.isArray(msg.args)) {
      send(badRequest(id, '"args" must be an array of arguments.'));
      return;
    }
    const res = await core!.call(msg.method, msg.args ?? []);
    send({ ...res, id });
  };
  ws.on('message', (data) => {
    if (core) void forward(data);
    else waiting.push(data);
  });

  ControlClient.connect(controlSocket).then((connected) => {
    if (ws.readyState !== ws.OPEN) { connected.close(); return; }
    core = connected;
    const off = connected.listen((e) => send(e));
    ws.on('close', () => { off(); clearInterval(drainTimer); connected.close(); });
    connected.onClose(() => {
      if (ws.readyState !== ws.OPEN) return;
      // A tab that is not reading would never answer a close handshake.
      if (ws.bufferedAmount > RELAY_PAUSE_ABOVE) ws.terminate();
      else ws.close(1012, 'core restarting');
    });
    for (const data of waiting.splice(0)) void forward(data);
  }, (err: Error) => {
    if (ws.readyState === ws.OPEN) ws.close(1011, `core unreachable: ${err.message}`.slice(0, 120));
  });
}
