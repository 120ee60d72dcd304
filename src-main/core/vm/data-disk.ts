import fs from 'node:fs/promises';
import { UserError } from '../errors.js';

const GiB = 1024 ** 3;

/**
 * Creates the sparse raw data disk on first start and grows it when the
 * setting grew; the guest formats it and resizes the filesystem. Never shrinks.
 */
export async function ensureDataDisk(file: string, sizeGiB: number): Promise<{ created: boolean; grown: boolean }> {
  const want = sizeGiB * GiB;
  const stat = await fs.stat(file).catch(() => undefined);
  if (!stat) {
    const fh = await fs.open(file, 'wx', 0o600);
    try { await fh.truncate(want); } finally { await fh.close(); }
    return { created: true, grown: false };
  }
  if (!stat.isFile()) throw new UserError(`The data disk ${file} is not a regular file. Move it aside, then start again.`, 'disk-corrupt');
  if (stat.size % 512 !== 0 || stat.size < 64 * 1024 * 1024) {
    throw new UserError(`The data disk ${file} is damaged (size ${stat.size} bytes is not a disk image). Move it aside to keep it, or run \`wharf reset\` to start over; nothing was started.`, 'disk-corrupt');
  }
  if (stat.size < want) {
    await fs.truncate(file, want);
    return { created: false, grown: true };
  }
  return { created: false, grown: false };
}
