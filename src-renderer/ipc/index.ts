import type { Contract, ContractClient } from '../../src-main/core/contract/index.js';
import { createClient } from './client.js';
import type { PreloadBridge, Transport } from './transport.js';
import { createWsTransport } from './ws-transport.js';

declare global {
  interface Window {
    wharf?: PreloadBridge;
  }
}

/** Electron's preload bridge when present, else the dashboard WebSocket. */
export function pickTransport(): Transport {
  if (typeof window !== 'undefined' && window.wharf) {
    const bridge = window.wharf;
    return { call: (m, a) => bridge.call(m, a), listen: (fn) => bridge.listen(fn) };
  }
  return createWsTransport();
}

let transport: Transport | undefined;
let api: ContractClient<Contract> | undefined;

export function getTransport(): Transport {
  return (transport ??= pickTransport());
}

export function getApi(): ContractClient<Contract> {
  return (api ??= createClient(getTransport()));
}

/** For unit tests of stores: swap in a fake transport. */
export function setTransportForTests(t: Transport): void {
  transport = t;
  api = createClient(t);
}

export { createClient, onEvent, RemoteError } from './client.js';
export type { Transport } from './transport.js';
