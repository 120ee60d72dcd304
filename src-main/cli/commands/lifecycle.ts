import type { ControlClient } from '../../core/transports/control-client.js';
import type { EngineStatus } from '../../core/contract/types.js';
import type { WharfPaths } from '../../core/paths.js';
import { typedClient } from '../connect.js';
import { renderProgress } from '../progress.js';
import { formatStatus } from './status.js';

/** `wharf start`: persist any resource flags through the one settings path, then boot with progress. */
export async function start(conn: ControlClient, flags: { cpus?: number; memory?: number; disk?: number }, out: NodeJS.WriteStream): Promise<EngineStatus> {
  const api = typedClient(conn);
  const patch: Record<string, number> = {};
  if (flags.cpus !== undefined) patch.cpus = flags.cpus;
  if (flags.memory !== undefined) patch.memory = flags.memory;
  if (flags.disk !== undefined) patch.disk = flags.disk;
  const current = await api.engine.status();
  if (current.vm.state === 'running' || current.vm.state === 'starting') {
    throw Object.assign(new Error('Wharf is already running. Use `wharf restart` to restart it, or `wharf status` to see it.'), { name: 'UserError' });
  }
  if (Object.keys(patch).length > 0) await api.settings.set(patch);
  const off = conn.listen((e) => {
    if (e.name !== 'bootProgress') return;
    const line = renderProgress(e.payload as Parameters<typeof renderProgress>[0]);
    out.write(out.isTTY ? `\r${line}\x1b[K` : `${line}\n`);
  });
  try {
    const status = await api.engine.start();
    if (out.isTTY) out.write('\n');
    return status;
  } finally {
    off();
  }
}

export async function stop(conn: ControlClient): Promise<EngineStatus> {
  return typedClient(conn).engine.stop();
}

export async function restart(conn: ControlClient, out: NodeJS.WriteStream): Promise<EngineStatus> {
  const api = typedClient(conn);
  const status = await api.engine.status();
  if (status.vm.state !== 'stopped') await api.engine.stop();
  return start(conn, {}, out);
}

export function printStarted(status: EngineStatus, paths: WharfPaths): string {
  return `${formatStatus(status, paths)}\nThe docker CLI now talks to Wharf (context 'wharf'). Try: docker run --rm hello-world`;
}
