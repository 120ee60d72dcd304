import type { ServiceImpl } from '../contract/define.js';
import type { Contract } from '../contract/services.js';
import type { StreamRegistry } from '../util/streams.js';

export type StreamsService = ServiceImpl<Contract['streams']>;

/** streams.* is the registry itself; the caller's identity comes from runAsStreamOwner. */
export function createStreamsService(streams: StreamRegistry): StreamsService {
  return {
    write: (id, data) => streams.write(id, data),
    resize: (id, cols, rows) => streams.resize(id, cols, rows),
    close: (id) => streams.close(id),
  };
}
