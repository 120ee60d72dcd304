import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';

/**
 * One core per WHARF_HOME, for the core's whole life. The lock is a listening
 * socket, not a file: the kernel releases it the moment its holder dies (even
 * by SIGKILL), and holding it does not depend on the holder answering, so a
 * busy core keeps it. On Linux it is an abstract socket (no file, nothing
 * stale); on Windows a named pipe (released with its process); elsewhere a
 * socket file in the run dir, which is stale only when connecting is refused.
 */

export interface LockHolder {
  pid: number;
  /** When it took the lock (ISO 8601). */
  since: string;
}

export type CoreLock =
  | { held: true; release(): Promise<void> }
  | { held: false; holder?: LockHolder };

const HOLDER_FILE = 'core-holder.json';

export function lockEndpoint(realRunDir: string, platform: NodeJS.Platform = process.platform): string {
  const id = createHash('sha256').update(realRunDir).digest('hex').slice(0, 32);
  if (platform === 'linux') return `\0wharf-core-${id}`;
  if (platform === 'win32') return `\\\\.\\pipe\\wharf-core-${id}`;
  return path.join(realRunDir, 'core.lock');
}

function bind(endpoint: string): Promise<net.Server | undefined> {
  return new Promise((resolve, reject) => {
    // Connections are only probes ("is anyone there?"): close them at once.
    const server = net.createServer((s) => s.destroy());
    server.once('error', (err: NodeJS.ErrnoException) => (err.code === 'EADDRINUSE' ? resolve(undefined) : reject(err)));
    server.listen(endpoint, () => resolve(server));
  });
}

/** Whether someone listens at a socket file: the kernel answers even for a holder that is busy. */
function answers(endpoint: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createConnection(endpoint);
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', (err: NodeJS.ErrnoException) => resolve(err.code !== 'ECONNREFUSED' && err.code !== 'ENOENT'));
  });
}

/** Who took the lock last, as its holder wrote it (for messages only; the socket is the lock). */
export async function readHolder(runDir: string): Promise<LockHolder | undefined> {
  // The holder writes this right after it binds; a reader may come in between.
  for (let i = 0; i < 10; i++) {
    try {
      const h = JSON.parse(await fs.readFile(path.join(runDir, HOLDER_FILE), 'utf8')) as LockHolder;
      if (Number.isInteger(h.pid) && typeof h.since === 'string') return h;
    } catch {}
    await new Promise((r) => setTimeout(r, 50));
  }
  return undefined;
}

export async function acquireCoreLock(runDir: string, platform: NodeJS.Platform = process.platform): Promise<CoreLock> {
  const real = await fs.realpath(runDir);
  const endpoint = lockEndpoint(real, platform);
  let server = await bind(endpoint);
  if (!server && platform !== 'linux' && platform !== 'win32' && !(await answers(endpoint))) {
    // A socket file left by a holder that died: nobody listens on it any more.
    await fs.rm(endpoint, { force: true });
    server = await bind(endpoint);
  }
  if (!server) return { held: false, holder: await readHolder(real) };
  if (platform !== 'linux' && platform !== 'win32') await fs.chmod(endpoint, 0o600);
  const holderFile = path.join(real, HOLDER_FILE);
  const holder: LockHolder = { pid: process.pid, since: new Date().toISOString() };
  const tmp = `${holderFile}.${process.pid}.tmp`;
  await fs.writeFile(tmp, JSON.stringify(holder) + '\n', { mode: 0o600 });
  await fs.rename(tmp, holderFile);
  server.unref();
  const held = server;
  return {
    held: true,
    async release() {
      await fs.rm(holderFile, { force: true });
      await new Promise<void>((r) => held.close(() => r()));
    },
  };
}

/** How a core that did not get the lock says so. */
export function describeHolder(holder: LockHolder | undefined, home: string): string {
  return holder
    ? `another Wharf core serves ${home}: held by pid ${holder.pid} (since ${holder.since})`
    : `another Wharf core serves ${home} (it has not said which pid yet)`;
}
