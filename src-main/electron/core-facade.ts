import type { EngineStatus } from '../core/contract/types.js';
import type { Dispatch } from '../core/transports/dispatcher.js';
import type { EventBus } from '../core/util/event-bus.js';

/**
 * What the Electron shell needs from the core. The core (src-main/core/core.ts)
 * is written separately; this interface is the agreement. loadCore() imports
 * it and checks, at compile time once the file exists, that createCore fits.
 */
export interface CoreOptions {
  home?: string;
  cacheDir?: string;
}

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

export type CreateCore = (opts: CoreOptions) => Promise<Core>;

export async function loadCore(opts: CoreOptions): Promise<Core> {
  // A literal specifier so electron-vite bundles the core into out/main.
  // eslint-disable-next-line @typescript-eslint/ban-ts-comment
  // @ts-ignore -- core.ts may not exist yet; once it does, the assignment below type-checks createCore against CreateCore.
  const mod = await import('../core/core.js');
  const createCore: CreateCore = mod.createCore;
  if (typeof createCore !== 'function') throw new Error('src-main/core/core.ts does not export createCore');
  return createCore(opts);
}
