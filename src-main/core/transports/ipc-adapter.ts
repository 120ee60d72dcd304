import { methodNames, type ContractSpec } from '../contract/define.js';
import { contract as defaultContract } from '../contract/services.js';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL, type CallResponse, type EventMessage, type ServerMessage } from '../contract/wire.js';
import type { EventBus } from '../util/event-bus.js';
import { runAsStreamOwner, type StreamRegistry } from '../util/streams.js';
import type { Dispatch } from './dispatcher.js';
import { openSession } from './session.js';

/**
 * The Electron IPC transport, written against small structural interfaces so
 * the core never imports 'electron' (electron/main.ts passes the real
 * ipcMain and webContents in). One invoke handler serves every contract
 * method on IPC_CALL_CHANNEL; core events are pushed to the attached windows
 * on IPC_EVENT_CHANNEL.
 *
 * Each attached window is a client session like a control-socket
 * connection (session.ts): its calls run as that window, so the streams it
 * opens (logs, terminals, pulls) are its own, their data goes only to it, and
 * they are closed when it reloads or goes away.
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
  /** Fires when the main frame commits a new document (a reload included, not hash changes). */
  on(event: 'did-navigate', listener: () => void): unknown;
  removeListener(event: 'did-navigate', listener: () => void): unknown;
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
  /** The packaged renderer's own scheme and host (app://wharf); its pages are trusted. */
  appOrigin?: string;
}

export interface IpcAdapterOptions {
  ipcMain: IpcMainLike;
  dispatch: Dispatch;
  bus: EventBus;
  /**
   * The core's stream registry. With it, every window is its own stream
   * owner; without it (a shell attached to another process's core) events
   * are broadcast to every window.
   */
  streams?: StreamRegistry;
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
  if (trusted.appOrigin) {
    // A custom scheme has no WHATWG origin ("null"): compare scheme and host.
    const app = parseUrl(trusted.appOrigin);
    if (app && u.protocol === app.protocol && u.host === app.host && u.host !== '') return true;
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

interface Attached {
  wc: WebContentsLike;
  /** Stream owner of this window's calls, when the core has a stream registry. */
  owner?: string;
  detach(): void;
}

export function createIpcAdapter(opts: IpcAdapterOptions): IpcAdapter {
  const allowed = new Set<string>(methodNames(opts.contract ?? defaultContract));
  const onRefused = opts.onRefused ?? ((reason: string) => console.warn(`[ipc] refused: ${reason}`));
  const attached = new Map<number, Attached>();

  opts.ipcMain.handle(IPC_CALL_CHANNEL, async (event, method, args): Promise<CallResponse> => {
    const frameUrl = event.senderFrame?.url ?? '(no frame)';
    if (!isTrustedSender(event.senderFrame, opts.trusted)) {
      onRefused(`call from untrusted frame ${frameUrl}`);
      return refusal('Forbidden', 'This page may not call Wharf.');
    }
    const client = attached.get(event.sender.id);
    if (!client) {
      onRefused(`call from a window that was never attached (${frameUrl})`);
      return refusal('Forbidden', 'This window is not connected to Wharf.');
    }
    if (typeof method !== 'string' || !allowed.has(method)) {
      onRefused(`unknown method ${JSON.stringify(method)} from ${frameUrl}`);
      return refusal('UserError', `Unknown method '${String(method)}'.`);
    }
    const callArgs = args === undefined ? [] : args;
    return client.owner !== undefined
      ? runAsStreamOwner(client.owner, () => opts.dispatch(method, callArgs))
      : opts.dispatch(method, callArgs);
  });

  function attach(wc: WebContentsLike): () => void {
    const existing = attached.get(wc.id);
    if (existing) return existing.detach;

    const deliver = (msg: ServerMessage) => {
      if (msg.type !== 'event') return;
      if (wc.isDestroyed()) {
        detach();
        return;
      }
      // Never push to a window that has somehow left the app's own pages.
      if (!isTrustedUrl(wc.getURL(), opts.trusted)) return;
      try {
        wc.send(IPC_EVENT_CHANNEL, msg);
      } catch {
        // Destroyed between the check and the send, or a payload that cannot be cloned: skip this window.
      }
    };

    let owner: string | undefined;
    let stop: () => void;
    if (opts.streams) {
      const session = openSession({ dispatch: opts.dispatch, bus: opts.bus, streams: opts.streams }, deliver);
      owner = session.owner;
      stop = () => session.close();
    } else {
      stop = opts.bus.onAny((name, payload) => deliver({ type: 'event', name, payload } as EventMessage));
    }

    // A reload is a new page: the streams the old one opened have no reader any more.
    const onNavigate = () => {
      if (owner !== undefined) opts.streams?.closeOwner(owner);
    };
    wc.on('did-navigate', onNavigate);

    let done = false;
    function detach(): void {
      if (done) return;
      done = true;
      stop();
      if (attached.get(wc.id)?.wc === wc) attached.delete(wc.id);
      if (!wc.isDestroyed()) wc.removeListener('did-navigate', onNavigate);
    }
    wc.once('destroyed', detach);
    attached.set(wc.id, { wc, owner, detach });
    return detach;
  }

  return {
    attach,
    dispose() {
      opts.ipcMain.removeHandler(IPC_CALL_CHANNEL);
      for (const a of [...attached.values()]) a.detach();
      attached.clear();
    },
  };
}
