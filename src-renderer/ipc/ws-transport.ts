import type { CallResponse, EventMessage, ServerMessage } from '../../src-main/core/contract/index.js';
import type { Transport } from './transport.js';

/**
 * The dashboard's transport: one WebSocket to /ws on the serving origin. The
 * session cookie set by the one-time token URL authenticates it. Reconnects
 * with backoff; calls made while disconnected wait for the socket.
 */
export function createWsTransport(url: string = defaultWsUrl()): Transport {
  let socket: WebSocket | undefined;
  let nextId = 1;
  let connected = false;
  let retryMs = 250;
  const pending = new Map<number, (res: CallResponse) => void>();
  const listeners = new Set<(msg: EventMessage) => void>();
  const connectionListeners = new Set<(connected: boolean) => void>();
  let opened: Promise<WebSocket>;

  const setConnected = (value: boolean) => {
    if (connected === value) return;
    connected = value;
    for (const fn of connectionListeners) fn(value);
  };

  const connect = (): Promise<WebSocket> => new Promise((resolve) => {
    const ws = new WebSocket(url);
    ws.onopen = () => { socket = ws; retryMs = 250; setConnected(true); resolve(ws); };
    ws.onmessage = (ev) => {
      const msg = JSON.parse(String(ev.data)) as ServerMessage;
      if (msg.type === 'result') {
        pending.get(msg.id)?.(msg);
        pending.delete(msg.id);
      } else {
        for (const fn of listeners) fn(msg);
      }
    };
    ws.onclose = () => {
      socket = undefined;
      setConnected(false);
      for (const [id, done] of pending) done({ type: 'result', id, ok: false, error: { name: 'Disconnected', message: 'Lost the connection to Wharf. Reconnecting…' } });
      pending.clear();
      setTimeout(() => { opened = connect(); opened.then(resolve); }, retryMs);
      retryMs = Math.min(retryMs * 2, 5000);
    };
  });
  opened = connect();

  return {
    async call(method, args) {
      const ws = socket ?? (await opened);
      const id = nextId++;
      return new Promise<CallResponse>((resolve) => {
        pending.set(id, resolve);
        ws.send(JSON.stringify({ type: 'call', id, method, args }));
      });
    },
    listen(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    onConnectionChange(fn) {
      connectionListeners.add(fn);
      fn(connected);
      return () => connectionListeners.delete(fn);
    },
  };
}

function defaultWsUrl(): string {
  const { protocol, host } = window.location;
  return `${protocol === 'https:' ? 'wss' : 'ws'}://${host}/ws`;
}
