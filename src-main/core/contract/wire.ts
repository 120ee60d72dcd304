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
