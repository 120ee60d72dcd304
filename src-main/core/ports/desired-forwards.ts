import type { ContainerSummary } from '../contract/types.js';
import type { ForwardSpec } from '../vm/backend.js';

export function forwardKey(f: ForwardSpec): string {
  return `${f.protocol}:${f.hostIp}:${f.hostPort}`;
}

/**
 * Docker's bind-address semantics carried to the host: 127.0.0.1 stays
 * loopback, 0.0.0.0 (and its IPv6 twin ::, which dockerd lists alongside)
 * means every host interface.
 */
export function desiredForwards(containers: ContainerSummary[]): ForwardSpec[] {
  const out = new Map<string, ForwardSpec>();
  for (const c of containers) {
    if (c.state !== 'running' && c.state !== 'paused') continue;
    for (const p of c.ports) {
      if (!p.hostPort) continue;
      const hostIp = p.hostIp === '' || p.hostIp === '::' ? '0.0.0.0' : p.hostIp;
      if (hostIp.includes(':')) continue; // other IPv6 binds: QEMU's user net forwards IPv4 only
      const spec: ForwardSpec = { protocol: p.protocol, hostIp, hostPort: p.hostPort, guestPort: p.hostPort };
      out.set(forwardKey(spec), spec);
    }
  }
  return [...out.values()];
}

/** What to add and remove to go from `current` to `desired`. Pure, so it is unit-tested. */
export function diffForwards(current: ForwardSpec[], desired: ForwardSpec[]): { add: ForwardSpec[]; remove: ForwardSpec[] } {
  const cur = new Map(current.map((f) => [forwardKey(f), f]));
  const want = new Map(desired.map((f) => [forwardKey(f), f]));
  const add = [...want.entries()].filter(([k, f]) => cur.get(k)?.guestPort !== f.guestPort).map(([, f]) => f);
  const remove = [...cur.entries()].filter(([k, f]) => want.get(k)?.guestPort !== f.guestPort).map(([, f]) => f);
  return { add, remove };
}
