import { methodNames, type ContractSpec } from '../core/contract/define.js';
import { EVENT_NAMES } from '../core/contract/events.js';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL, type CallResponse, type EventMessage } from '../core/contract/wire.js';

/**
 * The pure half of the preload: builds the `window.wharf` object from an
 * ipcRenderer-like object and the contract. index.ts hands it the real
 * ipcRenderer; tests hand it a fake. Nothing here imports 'electron'.
 */

/** The parts of Electron's ipcRenderer the bridge uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/** Same shape as PreloadBridge in src-renderer/ipc/transport.ts (checked in index.ts). */
export interface WharfBridge {
  call(method: string, args: unknown[]): Promise<CallResponse>;
  listen(fn: (msg: EventMessage) => void): () => void;
}

/** Every 'service.method' name of the contract: the only calls the page may make. */
export function buildAllowList(contract: ContractSpec): ReadonlySet<string> {
  return new Set<string>(methodNames(contract));
}

function refused(message: string): CallResponse {
  return { type: 'result', id: 0, ok: false, error: { name: 'UserError', message } };
}

function isCallResponse(value: unknown): value is CallResponse {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return v.type === 'result' && typeof v.ok === 'boolean';
}

const KNOWN_EVENTS = new Set<string>(EVENT_NAMES);

function isEventMessage(value: unknown): value is EventMessage {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return v.type === 'event' && typeof v.name === 'string' && KNOWN_EVENTS.has(v.name);
}

export function createBridge(ipc: IpcRendererLike, allowList: ReadonlySet<string>): WharfBridge {
  return Object.freeze({
    async call(method: string, args: unknown[]): Promise<CallResponse> {
      if (typeof method !== 'string' || !allowList.has(method)) return refused(`Unknown method '${String(method)}'.`);
      if (!Array.isArray(args)) return refused(`Arguments to ${method} must be an array.`);
      try {
        const res = await ipc.invoke(IPC_CALL_CHANNEL, method, args);
        if (isCallResponse(res)) return res;
        return { type: 'result', id: 0, ok: false, error: { name: 'Error', message: `Malformed reply to ${method}.` } };
      } catch (err) {
        // invoke rejects when main has no handler yet or the reply cannot be cloned.
        return { type: 'result', id: 0, ok: false, error: { name: 'IpcError', message: err instanceof Error ? err.message : String(err) } };
      }
    },
    listen(fn: (msg: EventMessage) => void): () => void {
      if (typeof fn !== 'function') throw new TypeError('listen expects a function');
      // The Electron event object (with its sender) never reaches the page: only the message does.
      const listener = (_event: unknown, msg: unknown) => {
        if (isEventMessage(msg)) fn(msg);
      };
      ipc.on(IPC_EVENT_CHANNEL, listener);
      let subscribed = true;
      return () => {
        if (!subscribed) return;
        subscribed = false;
        ipc.removeListener(IPC_EVENT_CHANNEL, listener);
      };
    },
  });
}
