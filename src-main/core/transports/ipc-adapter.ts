import { methodNames, type ContractSpec } from '../contract/define.js';
import { contract as defaultContract } from '../contract/services.js';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL, type CallResponse, type EventMessage } from '../contract/wire.js';
import type { EventName } from '../contract/events.js';
import type { EventBus } from '../util/event-bus.js';
import type { Dispatch } from './dispatcher.js';

/**
 * The Electron IPC transport, written against small structural interfaces so
 * the core never imports 'electron' (electron/main.ts passes the real
 * ipcMain and webContents in). One invoke handler serves every contract
 * method on IPC_CALL_CHANNEL; every EventBus event is pushed to the attached
 * windows on IPC_EVENT_CHANNEL.
 */

/** The parts of Electron's WebFrameMain the sender check reads. */
export interface FrameLike {
  readonly url: string;
  readonly parent: FrameLike | null;
}

/** The parts of Electron's WebContents the adapter uses. */
export interface WebContentsLike {
  readonly id: number;
  getURL(): string;
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
  once(event: 'destroyed', listener: () => void): unknown;
}

/** The parts of Electron's IpcMainInvokeEvent the handler reads. */
export interface InvokeEventLike {
  readonly senderFrame: FrameLike | null;
  readonly sender: WebContentsLike;
}

/** The parts of Electron's ipcMain the adapter uses. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown> | unknown): void;
  removeHandler(channel: string): void;
}

/** Where the app's own renderer is loaded from. */
export interface TrustedOrigins {
  /** file:// URL of the renderer's directory (e.g. file:///…/out/renderer/); pages inside it are trusted. */
  rendererDir?: string;
  /** The electron-vite dev server (ELECTRON_RENDERER_URL); pages with the same origin are trusted. */
  devServerUrl?: string;
}

export interface IpcAdapterOptions {
  ipcMain: IpcMainLike;
  dispatch: Dispatch;
  bus: EventBus;
  trusted: TrustedOrigins;
  /** Defaults to the Wharf contract; tests may pass a small one. */
  contract?: ContractSpec;
  /** Told about refused calls (untrusted sender, unknown method); defaults to console.warn. */
  onRefused?: (reason: string) => void;
}

export interface IpcAdapter {
  /** Starts pushing events to this window's webContents; stops by itself when it is destroyed. */
  attach(webContents: WebContentsLike): () => void;
  /** Removes the handler and the bus subscription. */
  dispose(): void;
}

function parseUrl(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/**
 * True when `url` is a page of the app itself: a file:// URL inside the
 * renderer directory, or the dev server's origin. Dot segments are resolved
 * by URL parsing first, so file:///app/out/renderer/../../etc is not inside.
 */
export function isTrustedUrl(url: string, trusted: TrustedOrigins): boolean {
  const u = parseUrl(url);
  if (!u) return false;
  if (u.protocol === 'file:' && trusted.rendererDir) {
    const dir = parseUrl(trusted.rendererDir);
    if (!dir || dir.protocol !== 'file:') return false;
    if (u.host !== dir.host) return false;
    const base = dir.pathname.endsWith('/') ? dir.pathname : `${dir.pathname}/`;
    return u.pathname.startsWith(base) && u.pathname.length > base.length;
  }
  if ((u.protocol === 'http:' || u.protocol === 'https:') && trusted.devServerUrl) {
    const dev = parseUrl(trusted.devServerUrl);
    return !!dev && u.origin === dev.origin;
  }
  return false;
}

/** Only the top-level frame of an app page may call; iframes (even same-origin) may not. */
export function isTrustedSender(frame: FrameLike | null | undefined, trusted: TrustedOrigins): boolean {
  if (!frame) return false;
  if (frame.parent !== null) return false;
  return isTrustedUrl(frame.url, trusted);
}

function refusal(name: string, message: string): CallResponse {
  return { type: 'result', id: 0, ok: false, error: { name, message } };
}

export function createIpcAdapter(opts: IpcAdapterOptions): IpcAdapter {
  const allowed = new Set<string>(methodNames(opts.contract ?? defaultContract));
  const onRefused = opts.onRefused ?? ((reason: string) => console.warn(`[ipc] refused: ${reason}`));
  const attached = new Map<number, WebContentsLike>();

  opts.ipcMain.handle(IPC_CALL_CHANNEL, async (event, method, args): Promise<CallResponse> => {
    const frameUrl = event.senderFrame?.url ?? '(no frame)';
    if (!isTrustedSender(event.senderFrame, opts.trusted)) {
      onRefused(`call from untrusted frame ${frameUrl}`);
      return refusal('Forbidden', 'This page may not call Wharf.');
    }
    if (typeof method !== 'string' || !allowed.has(method)) {
      onRefused(`unknown method ${JSON.stringify(method)} from ${frameUrl}`);
      return refusal('UserError', `Unknown method '${String(method)}'.`);
    }
    return opts.dispatch(method, args === undefined ? [] : args);
  });

  const unsubscribe = opts.bus.onAny((name: EventName, payload: unknown) => {
    const msg = { type: 'event', name, payload } as EventMessage;
    for (const [id, wc] of attached) {
      if (wc.isDestroyed()) {
        attached.delete(id);
        continue;
      }
      // Never push to a window that has somehow left the app's own pages.
      if (!isTrustedUrl(wc.getURL(), opts.trusted)) continue;
      try {
        wc.send(IPC_EVENT_CHANNEL, msg);
      } catch {
        // Destroyed between the check and the send, or a payload that cannot be cloned: skip this window.
      }
    }
  });

  return {
    attach(wc) {
      attached.set(wc.id, wc);
      const detach = () => {
        if (attached.get(wc.id) === wc) attached.delete(wc.id);
      };
      wc.once('destroyed', detach);
      return detach;
    },
    dispose() {
      opts.ipcMain.removeHandler(IPC_CALL_CHANNEL);
      unsubscribe();
      attached.clear();
    },
  };
}
