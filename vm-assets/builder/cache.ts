import { readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** $WHARF_CACHE, else ~/.cache/wharf (XDG-style, shared with the app). */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.WHARF_CACHE || path.join(os.homedir(), '.cache', 'wharf');
}

export const imagesDir = (cache: string): string => path.join(cache, 'images');
export const imageDir = (cache: string, hash: string): string => path.join(imagesDir(cache), hash);
export const debsDir = (cache: string): string => path.join(cache, 'debs');
export const aptDir = (cache: string, source: string): string => path.join(cache, 'apt', source);

export const IMAGE_FILES = ['vmlinuz', 'initrd.img', 'rootfs.squashfs', 'image.json'] as const;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes temp dirs (.tmp-<hash>-<pid>) of builds that died; a running build's dir is left alone. */
export async function removeStaleTemps(dir: string): Promise<void> {
  const entries = await readdir(dir).catch(() => [] as string[]);
  for (const e of entries) {
    const m = /^\.tmp-[0-9a-f]+-(\d+)$/.exec(e);
    if (m && !alive(Number(m[1]))) await rm(path.join(dir, e), { recursive: true, force: true });
  }
}
