import net from 'node:net';
import type { ForwardSpec, PortForwarder } from '../backend.js';

const forwardKey = (f: ForwardSpec) => `${f.protocol}/${f.hostIp}:${f.hostPort}`;

function answers(port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createConnection({ host: '127.0.0.1', port });
    const done = (ok: boolean) => { s.destroy(); resolve(ok); };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

/**
 * WSL forwards listeners on the distro's localhost to Windows' localhost by
 * itself, so there is nothing to add: this checks that each published TCP port
 * really answers on the host, and fails the same way a QEMU forward does when
 * it does not (port sync turns that into the "port not reachable" notice).
 */
export class WslPortChecker implements PortForwarder {
  private readonly seen = new Map<string, ForwardSpec>();

  constructor(private readonly o: { waitMs?: number } = {}) {}

  async add(spec: ForwardSpec): Promise<void> {
    if (spec.protocol === 'tcp') {
      const deadline = Date.now() + (this.o.waitMs ?? 5000);
      let ok = await answers(spec.hostPort, 1000);
      while (!ok && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 250));
        ok = await answers(spec.hostPort, 1000);
      }
      if (!ok) throw new Error(`WSL did not forward port ${spec.hostPort} to localhost (is localhostForwarding off in .wslconfig, or does another program hold the port?)`);
    }
    // UDP cannot be probed without a reply protocol; WSL forwards it the same way.
    this.seen.set(forwardKey(spec), spec);
  }

  async remove(spec: ForwardSpec): Promise<void> {
    this.seen.delete(forwardKey(spec));
  }

  async list(): Promise<ForwardSpec[]> {
    return [...this.seen.values()];
  }
}
