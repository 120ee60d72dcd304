import type { CallResponse, EventMessage, EventName, EventMap } from '../../src-main/core/contract/index.js';

/** What the renderer needs from whichever pipe reaches the core. */
export interface Transport {
  call(method: string, args: unknown[]): Promise<CallResponse>;
  /** Returns an unsubscribe function. */
  listen(fn: (msg: EventMessage) => void): () => void;
  /** 'open' | 'closed' for the dashboard socket; Electron IPC is always 'open'. */
  onConnectionChange?(fn: (connected: boolean) => void): () => void;
  /** The dashboard session was revoked or expired: reconnecting cannot help. */
  onSignedOut?(fn: () => void): () => void;
}

/** Shape the preload script exposes on window.wharf (Electron only). */
export interface PreloadBridge {
  call(method: string, args: unknown[]): Promise<CallResponse>;
  listen(fn: (msg: EventMessage) => void): () => void;
}

export type EventHandler<E extends EventName> = (payload: EventMap[E]) => void;
