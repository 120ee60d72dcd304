import type { CallResponse, EventMessage, ServerMessage } from '../../src-main/core/contract/index.js';
import type { DashboardSessionEnded } from '../../src-main/core/contract/index.js';
import type { Transport } from './transport.js';
import { captureKeyFromLocation, dashboardProtocols } from './dashboard-key.js';

/**
 * The dashboard's transport: one WebSocket to /ws on the serving origin. The
 * session cookie set by the one-time token URL and the page key (offered as a
 * subprotocol) authenticate it; a session the server ended is not retried. Reconnects
 * with backoff; calls made while disconnected wait for the next open socket
 * (never a closed one), and calls in flight when it drops fail with
 * 'Disconnected' so no view waits forever.
 */
/** Calls that only read: safe to send again when an answer does not come. */
const IDEMPOTENT = /^(engine\.(status|logs)|(containers|images|volumes)\.list|containers\.(inspect|stats)|settings\.(get|defaults|plan|validateDaemonJson)|vm\.host)$/;
const RESEND_AFTER_MS = 4000;
const SESSION_ENDED: DashboardSessionEnded = 4401;
const GIVE_UP_AFTER_MS = 30000;

export function createWsTransport(
  url: string = defaultWsUrl(),
  timing = { resendAfterMs: RESEND_AFTER_MS, giveUpAfterMs: GIVE_UP_AFTER_MS },
  protocols: () => string[] = defaultProtocols,
): Transport {
  let socket: WebSocket | undefined;
  let nextId = 1;
  let connected = false;
  let retryMs = 250;
  const pending = new Map<number, (res: CallResponse) => void>();
  const listeners = new Set<(msg: EventMessage) => void>();
  const connectionListeners = new Set<(connected: boolean) => void>();
  const signedOutListeners = new Set<() => void>();
  let signedOut = false;
  let openWaiters: Array<(ws: WebSocket) => void> = [];

  const setConnected = (value: boolean) => {
    if (connected === value) return;
    connected = value;
    for (const fn of [...connectionListeners]) fn(value);
  };

  const waitOpen = (): Promise<WebSocket> =>
    socket && socket.readyState === WebSocket.OPEN ? Promise.resolve(socket) : new Promise((resolve) => openWaiters.push(resolve));

  const connect = (): void => {
    const ws = new WebSocket(url, protocols());
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
    ws.onclose = (ev: CloseEvent) => {
      if (socket === ws) socket = undefined;
      setConnected(false);
      const ended = ev.code === SESSION_ENDED;
      const error = ended
        ? { name: 'SessionEnded', message: 'This dashboard session ended. Run `wharf dashboard` and open the new link.' }
        : { name: 'Disconnected', message: 'Lost the connection to Wharf. Reconnecting…' };
      for (const [id, done] of pending) done({ type: 'result', id, ok: false, error });
      pending.clear();
      if (ended) {
        signedOut = true;
        for (const fn of [...signedOutListeners]) fn();
        return;
      }
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 5000);
    };
  };
  connect();

  return {
    async call(method, args) {
      const send = async (): Promise<CallResponse> => {
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
      };
      if (!IDEMPOTENT.test(method)) return send();
      // A read that gets no answer (a message lost in a relay) is asked once more, then reported.
      return new Promise<CallResponse>((resolve) => {
        let settled = false;
        const finish = (res: CallResponse) => {
          if (settled) return;
          settled = true;
          clearTimeout(resend);
          clearTimeout(giveUp);
          resolve(res);
        };
        const resend = setTimeout(() => void send().then(finish), timing.resendAfterMs);
        const giveUp = setTimeout(() => finish({ type: 'result', id: -1, ok: false, error: { name: 'Timeout', message: `Wharf did not answer ${method} in ${Math.round(timing.giveUpAfterMs / 1000)} s.` } }), timing.giveUpAfterMs);
        void send().then(finish);
      });
    },
    listen(fn) {
      listeners.add(fn);
      return () => {
        listeners.delete(fn);
      };
    },
    onSignedOut(fn) {
      signedOutListeners.add(fn);
      if (signedOut) fn();
      return () => {
        signedOutListeners.delete(fn);
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

function defaultProtocols(): string[] {
  if (typeof window === 'undefined') return dashboardProtocols(null);
  captureKeyFromLocation();
  return dashboardProtocols();
}

function defaultWsUrl(): string {
  const { protocol, host } = window.location;
  return `${protocol === 'https:' ? 'wss' : 'ws'}://${host}/ws`;
}
