import fs from 'node:fs/promises';
import path from 'node:path';
import type { HostInfo } from '../contract/types.js';

/**
 * Checks for the folders shared into the VM. Each share is mounted in the
 * guest at the same path as on the host, which is why nesting, duplicates
 * and the guest's own system directories are refused: two mounts of one
 * tree fight over inodes, and mounting over /etc or /var/lib/docker breaks
 * the VM itself.
 */

type Platform = HostInfo['platform'];

/** Guest system paths a share may not equal or contain (it would be mounted over them). */
const GUEST_SYSTEM_PATHS = [
  '/bin', '/boot', '/dev', '/etc', '/lib', '/lib64', '/proc', '/run', '/sbin', '/sys', '/usr',
  '/var/lib/docker', '/var/run',
];
/** Guest paths a share may not sit inside either: kernel or engine state lives there. */
const GUEST_NO_SHARES_INSIDE = ['/boot', '/dev', '/etc', '/proc', '/run', '/sys', '/var/lib/docker', '/var/run'];

function guestClash(share: string, platform: Platform): string | undefined {
  return GUEST_SYSTEM_PATHS.find((r) => isWithin(r, share, platform))
    ?? GUEST_NO_SHARES_INSIDE.find((r) => isWithin(share, r, platform));
}

/** C0 controls, DEL and C1 controls: a newline would add a line to the guest's share list. */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Characters that would change what a share path means on its way to the VM,
 * with the reason; undefined when the path is safe to hand over.
 */
export function unsafeShareCharacter(share: string): string | undefined {
  const control = CONTROL_CHARS.exec(share);
  if (control) {
    const code = control[0].charCodeAt(0).toString(16).padStart(2, '0');
    return `contains a control character (U+00${code.toUpperCase()}); the VM reads its shares one per line, so rename the folder without it`;
  }
  if (share.includes(',')) return 'contains a comma, which file sharing (virtiofsd and the guest\'s mount options) reads as the start of another option; rename the folder without the comma, or share a parent folder whose path has none';
  return undefined;
}

/** A path as a message can show it: control characters written as escapes, not printed raw. */
function shown(share: string): string {
  return JSON.stringify(share).slice(1, -1);
}

function pathApi(platform: Platform): path.PlatformPath {
  return platform === 'win32' ? path.win32 : path.posix;
}

/** Absolute, `..`-free, without a trailing separator (except a root). */
export function normalizeShare(share: string, platform: Platform): string {
  const p = pathApi(platform);
  const normalized = p.normalize(share);
  const root = p.parse(normalized).root;
  return normalized.length > root.length ? normalized.replace(/[\\/]+$/, '') : normalized;
}

/** macOS and Windows file systems are case-insensitive by default. */
function comparable(share: string, platform: Platform): string {
  return platform === 'linux' ? share : share.toLowerCase();
}

/** True when `inner` is `outer` or lies under it. */
export function isWithin(inner: string, outer: string, platform: Platform): boolean {
  const p = pathApi(platform);
  const a = comparable(inner, platform);
  const b = comparable(outer, platform);
  if (a === b) return true;
  const prefix = b.endsWith(p.sep) ? b : b + p.sep;
  return a.startsWith(prefix);
}

/** Why `folder` (written `raw` under setting `key`) is not an existing folder, or undefined. */
export async function folderProblem(key: string, raw: string, folder: string, verb: string, p: path.PlatformPath): Promise<string | undefined> {
  let st;
  try {
    st = await fs.stat(folder);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR'
      ? `${key}: "${raw}" does not exist; create the folder first or remove it from the list.`
      : `${key}: "${raw}" cannot be read (${code ?? 'error'}); check its permissions or remove it from the list.`;
  }
  return st.isDirectory() ? undefined : `${key}: "${raw}" is a file, not a folder; ${verb} the folder that contains it (${p.dirname(folder)}) instead.`;
}

/**
 * Returns one message per problem (empty when all shares are fine). Paths are
 * compared as written, not through symlinks: the guest mounts them at the
 * written path, so /tmp and /private/tmp on macOS are two distinct mounts.
 */
export async function checkFileShares(shares: readonly string[], platform: Platform): Promise<string[]> {
  const p = pathApi(platform);
  const errors: string[] = [];
  const good: string[] = [];

  for (const raw of shares) {
    if (raw.trim() === '') {
      errors.push('fileShares: an entry is empty; remove it.');
      continue;
    }
    const unsafe = unsafeShareCharacter(raw);
    if (unsafe) {
      errors.push(`fileShares: "${shown(raw)}" ${unsafe}.`);
      continue;
    }
    if (!p.isAbsolute(raw)) {
      errors.push(`fileShares: "${raw}" is not an absolute path; write the full path, e.g. ${platform === 'win32' ? 'C:\\Users\\you\\code' : '/home/you/code'}.`);
      continue;
    }
    const share = normalizeShare(raw, platform);
    if (share === p.parse(share).root) {
      errors.push(`fileShares: "${raw}" is the whole file system; share only the folders you need, e.g. your home folder.`);
      continue;
    }
    if (platform !== 'win32') {
      const clash = guestClash(share, platform);
      if (clash) {
        errors.push(`fileShares: "${raw}" would be mounted over the VM's own ${clash}; share a folder outside ${clash} instead.`);
        continue;
      }
    }
    const notFolder = await folderProblem('fileShares', raw, share, 'share', p);
    if (notFolder) {
      errors.push(notFolder);
      continue;
    }
    const overlap = good.find((g) => isWithin(share, g, platform) || isWithin(g, share, platform));
    if (overlap !== undefined) {
      if (comparable(overlap, platform) === comparable(share, platform)) {
        errors.push(`fileShares: "${raw}" is listed twice; remove one.`);
      } else {
        const [outer, inner] = isWithin(share, overlap, platform) ? [overlap, share] : [share, overlap];
        errors.push(`fileShares: "${inner}" is inside "${outer}", which is also shared; remove "${inner}" (it is already visible through "${outer}").`);
      }
      continue;
    }
    good.push(share);
  }
  return errors;
}
