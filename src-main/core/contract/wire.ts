import type { EventMap, EventName } from './events.js';

/**
 * One wire format for the control socket (newline-delimited JSON) and the
 * dashboard WebSocket (one message per frame). Electron IPC carries the same
 * request/response objects over the two channels below.
 */
export const IPC_CALL_CHANNEL = 'wharf:call';
export const IPC_EVENT_CHANNEL = 'wharf:event';

export interface WireError {
  name: string;
  message: string;
  /** The UserError's code (e.g. 'invalid-settings', 'engine-stopped'): clients match on this, never on the message. */
  code?: string;
}

export interface CallRequest {
  type: 'call';
  id: number;
  method: string;
  args: unknown[];
}

export type CallResponse =
  | { type: 'result'; id: number; ok: true; result: unknown }
  | { type: 'result'; id: number; ok: false; error: WireError };

export interface EventMessage<E extends EventName = EventName> {
  type: 'event';
  name: E;
  payload: EventMap[E];
}

export type ServerMessage = CallResponse | EventMessage;

/**
 * The dashboard's WebSocket handshake. The page offers two subprotocols: this
 * one, which the server selects, and `wharf-key.<page key>`, the secret that
 * binds the socket to the page that signed in (the cookie alone is not enough:
 * cookies are not scoped by port). The renderer may import only types, so it
 * spells these with the types below and the compiler keeps them equal.
 */
export const DASHBOARD_WS_PROTOCOL = 'wharf.v1';
export type DashboardWsProtocol = typeof DASHBOARD_WS_PROTOCOL;
export const DASHBOARD_KEY_PROTOCOL_PREFIX = 'wharf-key.';
export type DashboardKeyProtocol = `${typeof DASHBOARD_KEY_PROTOCOL_PREFIX}${string}`;
/** The URL-fragment parameter of the sign-in redirect that hands the page its key. */
export const DASHBOARD_PAGE_KEY_PARAM = 'wharf-key';
export type DashboardPageKeyParam = typeof DASHBOARD_PAGE_KEY_PARAM;
/** WebSocket close code: the session was revoked or expired. */
export const DASHBOARD_SESSION_ENDED = 4401;
export type DashboardSessionEnded = typeof DASHBOARD_SESSION_ENDED;
