import { run } from './exec.js';
import type { Manifest } from './manifest.js';

/** Root owned by root whoever builds it; no xattrs, as no file in the image needs any. */
export function mksquashfsArgs(root: string, out: string, c: Manifest['output']['rootfs']): string[] {
  const args = [root, out, '-noappend', '-all-root', '-no-xattrs', '-no-progress', '-b', String(c.blockSize)];
  if (c.compression === 'none') return [...args, '-noI', '-noD', '-noF', '-noX'];
  args.push('-comp', c.compression);
  if (c.compression === 'xz') args.push('-Xbcj', 'x86');
  if (c.level !== undefined) {
    if (c.compression === 'zstd' || c.compression === 'gzip') args.push('-Xcompression-level', String(c.level));
  }
  return args;
}

export async function makeSquashfs(root: string, out: string, c: Manifest['output']['rootfs']): Promise<void> {
  await run('mksquashfs', mksquashfsArgs(root, out, c), { capture: false });
}
