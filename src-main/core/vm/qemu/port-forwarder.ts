import type { ForwardSpec, PortForwarder } from '../backend.js';
import { GUEST_IP } from './args.js';
import type { QmpClient } from './qmp.js';
import { UserError } from '../../errors.js';

export function hostfwdRule(spec: ForwardSpec): string {
  return `${spec.protocol}:${spec.hostIp}:${spec.hostPort}-${GUEST_IP}:${spec.guestPort}`;
}

/**
 * Parses `info usernet`, e.g.
 *   TCP[HOST_FORWARD]  13  127.0.0.1 41235  10.0.2.15  2376  0  0
 */
export function parseUsernet(text: string): ForwardSpec[] {
  const specs: ForwardSpec[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(TCP|UDP)\[HOST_FORWARD\]\s+\d+\s+(\S+)\s+(\d+)\s+(\S+)\s+(\d+)/.exec(line);
    if (!m) continue;
    specs.push({ protocol: m[1]!.toLowerCase() as 'tcp' | 'udp', hostIp: m[2] === '*' ? '0.0.0.0' : m[2]!, hostPort: Number(m[3]), guestPort: Number(m[5]) });
  }
  return specs;
}

/** Published ports through QEMU's user network: hostfwd_add/remove over HMP. */
export class QemuPortForwarder implements PortForwarder {
  constructor(private readonly qmp: () => QmpClient | undefined, private readonly netdev = 'net0') {}

  private client(): QmpClient {
    const c = this.qmp();
    if (!c) throw new UserError('The VM is not running, so ports cannot be forwarded.');
    return c;
  }

  async add(spec: ForwardSpec): Promise<void> {
    const out = (await this.client().hmp(`hostfwd_add ${this.netdev} ${hostfwdRule(spec)}`)).trim();
    if (out) {
      throw new UserError(`Port ${spec.hostPort}/${spec.protocol} on ${spec.hostIp} is already in use on this host (${out}). The container keeps running; stop what holds the port or publish a different one.`, 'port-taken');
    }
  }

  async remove(spec: ForwardSpec): Promise<void> {
    // hostfwd_remove takes only the host side.
    await this.client().hmp(`hostfwd_remove ${this.netdev} ${spec.protocol}:${spec.hostIp}:${spec.hostPort}`);
  }

  async list(): Promise<ForwardSpec[]> {
    return parseUsernet(await this.client().hmp('info usernet'));
  }
}
