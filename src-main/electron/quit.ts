/**
 * Graceful quit: stop the VM (bounded), then shut the core down (bounded),
 * whatever happens. Pure and injectable so the timeouts are unit-tested.
 */
export interface Stoppable {
  stopEngine(): Promise<unknown>;
  shutdown(): Promise<void>;
}

export interface StopOptions {
  /** How long the VM gets to stop (dockerd flushes, guest powers off). */
  stopTimeoutMs: number;
  /** How long the core gets to close its sockets and servers. */
  shutdownTimeoutMs: number;
  log?: (message: string) => void;
}

export const DEFAULT_STOP_OPTIONS: StopOptions = { stopTimeoutMs: 30_000, shutdownTimeoutMs: 5_000 };

export type Outcome = 'done' | 'timeout' | 'failed';

export interface StopReport {
  engine: Outcome;
  shutdown: Outcome;
}

/** Runs `work`, resolving to 'done' | 'failed' | 'timeout' and never rejecting. */
export async function bounded(work: () => Promise<unknown>, ms: number, onError?: (err: unknown) => void): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  const run = (async (): Promise<Outcome> => {
    try {
      await work();
      return 'done';
    } catch (err) {
      onError?.(err);
      return 'failed';
    }
  })();
  try {
    return await Promise.race([run, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function stopGracefully(target: Stoppable, opts: StopOptions = DEFAULT_STOP_OPTIONS): Promise<StopReport> {
  const log = opts.log ?? (() => {});
  const describe = (what: string) => (err: unknown) => log(`${what} failed: ${err instanceof Error ? err.message : String(err)}`);
  const engine = await bounded(() => target.stopEngine(), opts.stopTimeoutMs, describe('stopping the engine'));
  if (engine === 'timeout') log(`the engine did not stop within ${opts.stopTimeoutMs} ms; shutting down anyway`);
  const shutdown = await bounded(() => target.shutdown(), opts.shutdownTimeoutMs, describe('core shutdown'));
  if (shutdown === 'timeout') log(`the core did not shut down within ${opts.shutdownTimeoutMs} ms; exiting anyway`);
  return { engine, shutdown };
}
