import fs from 'node:fs/promises';
import path from 'node:path';
import { processIdentity } from '../process-identity.js';
import { waitForExit } from '../process-util.js';

/**
 * The virtiofsd processes a start launched, recorded by identity beside their
 * sockets. virtiofsd exits when its QEMU hangs up, but one whose QEMU never
 * connected (QEMU failed to launch, or the core died first) waits forever and
 * holds its share's lock, so the next start could not share that folder.
 */
const IDENTITY = /^virtiofs-\d+\.id\.json$/;

export function virtiofsdIdentityFile(runDir: string, index: number): string {
  return path.join(runDir, `virtiofs-${index}.id.json`);
}

export async function recordVirtiofsd(runDir: string, index: number, pid: number): Promise<void> {
  const id = await processIdentity(pid);
  if (id) await fs.writeFile(virtiofsdIdentityFile(runDir, index), JSON.stringify({ pid, startTime: id.startTime }), { mode: 0o600 });
}

/** Stops every recorded virtiofsd that is still the same process; returns how many it stopped. */
export async function stopVirtiofsdLeftovers(runDir: string): Promise<number> {
  let stopped = 0;
  for (const f of await fs.readdir(runDir).catch(() => [] as string[])) {
    if (!IDENTITY.test(f)) continue;
    const file = path.join(runDir, f);
    try {
      const saved = JSON.parse(await fs.readFile(file, 'utf8')) as { pid?: unknown; startTime?: unknown };
      const now = typeof saved.pid === 'number' ? await processIdentity(saved.pid) : undefined;
      // Same pid and start time: the very process recorded, not a later one given its number.
      if (now && now.startTime === saved.startTime && now.command.includes('virtiofsd')) {
        process.kill(now.pid, 'SIGKILL');
        await waitForExit(now.pid, 5000);
        stopped++;
      }
    } catch {
      // Unreadable or already gone: nothing to stop.
    }
    await fs.rm(file, { force: true });
  }
  return stopped;
}
