import type { Contract, ContractClient, EventMap, EventMessage, EventName, WireError } from '../../src-main/core/contract/index.js';
import type { Transport } from './transport.js';

/** An error from the core, carrying {name, message, code} across the wire. */
export class RemoteError extends Error {
  readonly code?: string;
  constructor(wire: WireError) {
    super(wire.message);
    this.name = wire.name;
    if (wire.code !== undefined) this.code = wire.code;
  }
}

/**
 * A typed client derived from the contract type alone: `api.containers.start(id)`
 * becomes a call of 'containers.start'. No method names are listed here.
 */
export function createClient(transport: Transport): ContractClient<Contract> {
  return new Proxy({} as ContractClient<Contract>, {
    get(_target, service) {
      if (typeof service !== 'string') return undefined;
      return new Proxy({}, {
        get(_t, name) {
          if (typeof name !== 'string') return undefined;
          return async (...args: unknown[]) => {
            const res = await transport.call(`${service}.${name}`, args);
            if (!res.ok) throw new RemoteError(res.error);
            return res.result;
          };
        },
      });
    },
  });
}

/** Subscribes to one event name. */
export function onEvent<E extends EventName>(transport: Transport, name: E, fn: (payload: EventMap[E]) => void): () => void {
  return transport.listen((msg: EventMessage) => {
    if (msg.name === name) fn(msg.payload as EventMap[E]);
  });
}
