import type { Writable } from 'node:stream';
import type { StreamRegistry } from '../util/streams.js';

export interface BackpressureLimits {
  /** Above this many unread bytes the client's streams pause until it drains. */
  pauseAbove: number;
  /** Above this many the client is dropped (its streams close with it). */
  dropAbove: number;
}

/**
 * Keeps what the core holds for one client bounded. A client that stops
 * reading (a suspended `wharf logs -f`, a hung browser tab) first has its own
 * streams paused, so their producers stop at each stream's backlog limit;
 * events still queue, and past the drop limit the client is disconnected.
 * Other clients are not affected.
 */
export function guardClientWrites(socket: Writable, owner: string, streams: StreamRegistry, limits: BackpressureLimits): () => void {
  let paused = false;
  const onDrain = () => {
    paused = false;
    streams.resumeOwner(owner);
  };
  return () => {
    const queued = socket.writableLength;
    if (queued > limits.dropAbove) {
      socket.destroy();
    } else if (queued > limits.pauseAbove && !paused) {
      paused = true;
      streams.pauseOwner(owner);
      socket.once('drain', onDrain);
    }
  };
}
