import type { CallResponse, EventMessage, ServerMessage } from '../../src-main/core/contract/index.js';
import type { Transport } from './transport.js';

/**
 * The dashboard's transport: one WebSocket to /ws on the serving origin. The
 * session cookie set by the one-time token URL authenticates it. Reconnects
 * with backoff; calls made while disconnected wait for the next open socket
 * (never a closed one), and calls in flight when it drops fail with
 * 'Disconnected' so no view waits forever.
 */
export function createWsTransport(url: string = defaultWsUrl()): Transport {
  let socket: WebSocket | undefined;
  let nextId = 1;
  let connected = false;
  let retryMs = 250;
  const pending = new Map<number, (res: CallResponse) => void>();
  const listeners = new Set<(msg: EventMessage) => void>();
  const connectionListeners = new Set<(connected: boolean) => void>();
  let openWaiters: Array<(ws: WebSocket) => void> = [];

  const setConnected = (value: boolean) => {
    if (connected === value) return;
    connected = value;
    for (const fn of [...connectionListeners]) fn(value);
  };

  const waitOpen = (): Promise<WebSocket> =>
    socket && socket.readyState === WebSocket.OPEN ? Promise.resolve(socket) : new Promise((resolve) => openWaiters.push(resolve));

  const connect = (): void => {
    const ws = new WebSocket(url);
    ws.onopen = () => {
      socket = ws;
      retryMs = 250;
      setConnected(true);
      const waiters = openWaiters;
      openWaiters = [];
      for (const w of waiters) w(ws);
    };
    ws.onmessage = (ev) => {
      let msg: ServerMessage;
      try {
        msg = JSON.parse(String(ev.data)) as ServerMessage;
      } catch {
        return;
      }
      if (msg.type === 'result') {
        pending.get(msg.id)?.(msg);
        pending.delete(msg.id);
      } else {
        for (const fn of [...listeners]) fn(msg);
      }
    };
    ws.onclose = () => {
      if (socket === ws) socket = undefined;
      setConnected(false);
      for (const [id, done] of pending) done({ type: 'result', id, ok: false, error: { name: 'Disconnected', message: 'Lost the connection to Wharf. Reconnecting…' } });
      pending.clear();
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 5000);
    };
  };
  connect();

  return {
    async call(method, args) {
      const ws = await waitOpen();
      const id = nextId++;
      return new Promise<CallResponse>((resolve) => {
        pending.set(id, resolve);
        try {
          ws.send(JSON.stringify({ type: 'call', id, method, args }));
        } catch (err) {
          pending.delete(id);
          resolve({ type: 'result', id, ok: false, error: { name: 'Disconnected', message: `Could not send to Wharf: ${(err as Error).message}` } });
        }
      });
    },
    listen(fn) {
      listeners.add(fn);
      return () => {
        listeners.delete(fn);
      };
    },
    onConnectionChange(fn) {
      connectionListeners.add(fn);
      fn(connected);
      return () => {
        connectionListeners.delete(fn);
      };
    },
  };
}

function defaultWsUrl(): string {
  const { protocol, host } = window.location;
  return `${protocol === 'https:' ? 'wss' : 'ws'}://${host}/ws`;
}
