import type { EngineStatus } from '../core/contract/types.js';
import type { CoreOptions } from '../core/core.js';
import type { Dispatch } from '../core/transports/dispatcher.js';
import type { EventBus } from '../core/util/event-bus.js';

export type { CoreOptions };

/**
 * The slice of the core the Electron shell uses. Keeping it this narrow keeps
 * electron/ thin: everything else goes through dispatch (the contract).
 * loadCore's return statement checks at compile time that the real Core
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
 * Imported lazily so that a core that throws while loading (a broken native
 * dependency, say) still leaves the app able to show its window and the
 * reason, instead of dying before whenReady.
 */
export async function loadCore(opts: CoreOptions): Promise<Core> {
  const { createCore } = await import('../core/core.js');
  return createCore(opts);
}
