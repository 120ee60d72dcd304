import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ControlClient } from '../core/transports/control-client.js';
import type { WharfPaths } from '../core/paths.js';
import type { Contract, ContractClient } from '../core/contract/index.js';
import { monotonicMs } from '../core/util/clock.js';
import { describeHolder, readHolder } from '../core/util/core-lock.js';

/** Same typed-proxy idea as the renderer's client, over control.sock. */
export function typedClient(conn: ControlClient): ContractClient<Contract> {
  return new Proxy({} as ContractClient<Contract>, {
    get: (_t, service) => new Proxy({}, {
      get: (_u, name) => async (...args: unknown[]) => {
        const res = await conn.call(`${String(service)}.${String(name)}`, args);
        if (!res.ok) {
          const err = new Error(res.error.message);
          err.name = res.error.name;
          throw err;
        }
        return res.result;
      },
    }),
  });
}

export async function tryConnect(paths: WharfPaths): Promise<ControlClient | undefined> {
  try {
    return await ControlClient.connect(paths.controlSocket, 2000);
  } catch {
    return undefined;
  }
}

const binPath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/wharf.mjs');

/**
 * Connects to a running core (the desktop app or a headless one), starting a
 * headless core when none runs. The VM itself is only booted by engine.start.
 */
export async function ensureCore(paths: WharfPaths): Promise<ControlClient> {
  const existing = await tryConnect(paths);
  if (existing) return existing;
  fs.mkdirSync(paths.logs, { recursive: true, mode: 0o700 });
  const log = fs.openSync(path.join(paths.logs, 'core.log'), 'a', 0o600);
  const child = spawn(process.execPath, [binPath, '__core'], {
    detached: true,
    stdio: ['ignore', log, log],
    env: { ...process.env, WHARF_HOME: paths.home },
  });
  child.unref();
  fs.closeSync(log);
  const deadline = monotonicMs() + 20_000;
  while (monotonicMs() < deadline) {
    // A refused connect costs microseconds; every poll interval is added to each start's wait.
    await new Promise((r) => setTimeout(r, 25));
    const conn = await tryConnect(paths);
    if (conn) return conn;
    // Ours exited: either it failed, or another core holds this WHARF_HOME (busy, or still starting): wait for that one.
    if (child.exitCode !== null && !(await readHolder(paths.run))) break;
  }
  const holder = child.exitCode !== null ? await readHolder(paths.run) : undefined;
  if (holder) throw new Error(`${describeHolder(holder, paths.home)}, but it did not answer on ${paths.controlSocket} within 20 s. If it is hung, end it (kill ${holder.pid}) and try again.`);
  throw new Error(`The Wharf core did not start; see ${path.join(paths.logs, 'core.log')}.`);
}
