import path from 'node:path';
import type { HostInfo } from '../contract/types.js';
import { folderProblem, isWithin, normalizeShare, unsafeShareCharacter } from './file-shares.js';

/**
 * Checks for synchronized folders: host folders whose bind mounts use a
 * two-way-synced copy on the VM's disk instead of the live share. The guest
 * reaches the host side through the shared folders, so a synced folder must
 * lie inside one of them; two synced folders may not nest, or one tree would
 * have two copies that each think they own it.
 */
type Platform = HostInfo['platform'];

function shown(p: string): string {
  return JSON.stringify(p).slice(1, -1);
}

export async function checkSyncedShares(synced: readonly string[], fileShares: readonly string[], platform: Platform): Promise<string[]> {
  const p = platform === 'win32' ? path.win32 : path.posix;
  const errors: string[] = [];
  const good: string[] = [];
  for (const raw of synced) {
    if (raw.trim() === '') {
      errors.push('syncedShares: an entry is empty; remove it.');
      continue;
    }
    const unsafe = unsafeShareCharacter(raw);
    if (unsafe) {
      errors.push(`syncedShares: "${shown(raw)}" ${unsafe}.`);
      continue;
    }
    if (!p.isAbsolute(raw)) {
      errors.push(`syncedShares: "${raw}" is not an absolute path; write the full path of a project folder, e.g. ${platform === 'win32' ? 'C:\\Users\\you\\code\\app' : '/home/you/code/app'}.`);
      continue;
    }
    const folder = normalizeShare(raw, platform);
    if (!fileShares.some((s) => isWithin(folder, normalizeShare(s, platform), platform))) {
      errors.push(`syncedShares: "${raw}" is not inside a shared folder (${fileShares.length ? fileShares.join(', ') : 'none are shared'}); the VM reaches a synced folder through file sharing, so add a folder that contains it to fileShares first.`);
      continue;
    }
    const notFolder = await folderProblem('syncedShares', raw, folder, 'sync', p);
    if (notFolder) {
      errors.push(notFolder);
      continue;
    }
    const overlap = good.find((g) => isWithin(folder, g, platform) || isWithin(g, folder, platform));
    if (overlap !== undefined) {
      errors.push(overlap === folder
        ? `syncedShares: "${raw}" is listed twice; remove one.`
        : `syncedShares: "${raw}" and "${overlap}" nest; keep only the outer one (it already syncs the inner folder).`);
      continue;
    }
    good.push(folder);
  }
  return errors;
}
