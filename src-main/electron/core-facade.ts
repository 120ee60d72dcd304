import type { EngineStatus } from '../core/contract/types.js';
import type { CallResponse, EventMessage } from '../core/contract/wire.js';
import { errorMessage } from '../core/errors.js';
import { wharfPaths } from '../core/paths.js';
import { ControlClient } from '../core/transports/control-client.js';
import { ControlSocketServer } from '../core/transports/control-socket.js';
import type { Dispatch } from '../core/transports/dispatcher.js';
import { EventBus } from '../core/util/event-bus.js';
import type { StreamRegistry } from '../core/util/streams.js';
import { ensurePrivateDir } from '../core/util/private-dir.js';
import { acquireCoreLock, describeHolder } from '../core/util/core-lock.js';

/**
 * The slice of the core the Electron shell uses. Keeping it this narrow keeps
 * electron/ thin: everything else goes through dispatch (the contract).
 * hostCore's local branch checks at compile time that the real Core
 * (src-main/core/core.ts) still provides it.
 */
export interface Core {
  dispatch: Dispatch;
  bus: EventBus;
  engine: {
    status(): Promise<EngineStatus>;
    start(): Promise<unknown>;
    stop(): Promise<unknown>;
    restart(): Promise<unknown>;
  };
  shutdown(): Promise<void>;
}

/**
 * The core as the app runs it:
 * - 'local': in this process (the usual case), also serving control.sock so
 *   the `wharf` CLI and the browser dashboard reach the same core;
 * - 'remote': a headless core (`wharf start`) already serves this WHARF_HOME,
 *   so the app attaches to it over control.sock rather than fight it for the VM.
 */
export interface HostedCore extends Core {
  mode: 'local' | 'remote';
  /** Per-window stream ownership for the IPC adapter (local only). */
  streams?: StreamRegistry;
}

/** The parts of ControlClient a remote core uses. */
export interface ControlClientLike {
  call(method: string, args: unknown[]): Promise<CallResponse>;
  listen(fn: (e: EventMessage) => void): () => void;
  onClose(fn: () => void): void;
  close(): void;
}

/** A Core backed by another process's core over control.sock. */
export function remoteCore(client: ControlClientLike, socketPath: string): Core {
  const bus = new EventBus();
  let closing = false;
  client.listen((msg) => bus.emit(msg.name, msg.payload as never));
  client.onClose(() => {
    if (closing) return;
    bus.emit('vmState', { state: 'error', reason: `Lost the connection to the Wharf core at ${socketPath}. Quit Wharf and open it again.` });
  });
  const dispatch: Dispatch = (method, args) => client.call(method, args as unknown[]);
  const call = async (method: string): Promise<unknown> => {
    const res = await client.call(method, []);
    if (!res.ok) throw Object.assign(new Error(res.error.message), { name: res.error.name });
    return res.result;
  };
  return {
    dispatch,
    bus,
    engine: {
      status: () => call('engine.status') as Promise<EngineStatus>,
      start: () => call('engine.start'),
      stop: () => call('engine.stop'),
      restart: () => call('engine.restart'),
    },
    async shutdown() {
      closing = true;
      client.close();
    },
  };
}

export interface HostOptions {
  /** Where vm-assets/ lives (the repo in development, resources/ when packaged). */
  repoRoot: string;
  /** Where built images are found (images/<hash>/); default $WHARF_CACHE. */
  cacheDir?: string;
  log: (message: string) => void;
}

export async function hostCore(opts: HostOptions): Promise<HostedCore> {
  const paths = wharfPaths();
  await ensurePrivateDir(paths.home, { followSymlink: true });
  await ensurePrivateDir(paths.run);

  const existing = await ControlClient.connect(paths.controlSocket, 1000).catch(() => undefined);
  if (existing) {
    opts.log(`attaching to the Wharf core already serving ${paths.controlSocket}`);
    return { mode: 'remote', ...remoteCore(existing, paths.controlSocket) };
  }
  // No answer within 1 s is not proof that no core runs (it may be busy or starting): the lock is.
  const lock = await acquireCoreLock(paths.run);
  if (!lock.held) {
    const late = await ControlClient.connect(paths.controlSocket, 15_000).catch(() => undefined);
    if (late) {
      opts.log(`attaching to the Wharf core already serving ${paths.controlSocket} (it was slow to answer)`);
      return { mode: 'remote', ...remoteCore(late, paths.controlSocket) };
    }
    throw new Error(`${describeHolder(lock.holder, paths.home)}, but it does not answer on ${paths.controlSocket}. If it is hung, end it${lock.holder ? ` (pid ${lock.holder.pid})` : ''} and open Wharf again.`);
  }

  // Imported lazily so that a core that throws while loading still leaves the
  // app able to show its window and the reason, instead of dying before whenReady.
  const { createCore } = await import('../core/core.js');
  const core = await createCore({ home: paths.home, repoRoot: opts.repoRoot, ...(opts.cacheDir ? { cacheDir: opts.cacheDir } : {}) });
  const slice: Core = core;

  // Reattach before serving the CLI, so its first answer is the VM a killed process left running.
  try {
    if (await core.engine.reattach()) opts.log('reattached to a VM that was still running');
  } catch (err) {
    opts.log(`reattach failed: ${errorMessage(err)}`);
  }
  const server = new ControlSocketServer(paths.controlSocket, core);
  try {
    await server.listen();
    opts.log(`serving the CLI on ${paths.controlSocket}`);
  } catch (err) {
    opts.log(`the CLI cannot reach this app: control socket ${paths.controlSocket}: ${errorMessage(err)}`);
  }

  return {
    mode: 'local',
    dispatch: slice.dispatch,
    bus: slice.bus,
    engine: slice.engine,
    streams: core.streams,
    async shutdown() {
      await server.close().catch(() => {});
      await core.shutdown();
      await lock.release();
    },
  };
}
