import { errorMessage } from '../errors.js';

/**
 * Runs work nobody awaits (a timer's tick, a coalesced reconcile). A rejection
 * there would reach the process as an uncaught error and end the core, taking
 * every client with it; a failed tick is logged and the next one tries again.
 */
export function detached(work: () => Promise<unknown>, log: (line: string) => void, what: string): void {
  let running: Promise<unknown>;
  try {
    running = work();
  } catch (err) {
    running = Promise.reject(err);
  }
  running.catch((err: unknown) => log(`[${what}] ${errorMessage(err)}`));
}
