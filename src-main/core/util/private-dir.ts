import fs from 'node:fs/promises';
import { UserError } from '../errors.js';

/**
 * Makes `dir` a directory only its owner can enter (0700), creating it if
 * needed and tightening it if it already existed wider (mkdir's mode applies
 * only on creation). Sockets are bound inside such directories, so the moment
 * between bind() and chmod() exposes nothing. Refuses a symlink or a
 * directory owned by another user: its owner could swap what we listen on.
 * On Windows, ACLs rather than modes protect the profile; nothing to do.
 */
export async function ensurePrivateDir(dir: string, opts: { followSymlink?: boolean; platform?: NodeJS.Platform } = {}): Promise<void> {
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  if ((opts.platform ?? process.platform) === 'win32') return;
  // WHARF_HOME itself may be a link the user made (~/.wharf -> /data/wharf); what is inside it may not.
  const st = opts.followSymlink ? await fs.stat(dir) : await fs.lstat(dir);
  const fix = `Remove it, or set WHARF_HOME to a directory of your own.`;
  if (st.isSymbolicLink()) throw new UserError(`${dir} is a symbolic link; Wharf keeps its sockets and keys only in a real directory. ${fix}`, 'unsafe-directory');
  if (!st.isDirectory()) throw new UserError(`${dir} is not a directory. ${fix}`, 'unsafe-directory');
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid) throw new UserError(`${dir} is owned by uid ${st.uid}, not by you (uid ${uid}). ${fix}`, 'unsafe-directory');
  if ((st.mode & 0o077) !== 0) await fs.chmod(dir, 0o700);
}
