import type Docker from 'dockerode';
import type { EventBus } from '../util/event-bus.js';
import type { StreamRegistry } from '../util/streams.js';

/** What every engine service is built from. */
export interface EngineDeps {
  docker: Docker;
  bus: EventBus;
  streams: StreamRegistry;
}

/** Maps with at most `limit` calls in flight; results keep input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
