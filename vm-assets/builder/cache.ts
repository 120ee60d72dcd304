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
/** One apt root per source and architecture; amd64 keeps the plain name it had before arm64 existed. */
export const aptDir = (cache: string, source: string, arch = 'amd64'): string =>
  path.join(cache, 'apt', arch === 'amd64' ? source : `${source}-${arch}`);
/**
 * The apt root a cross build uses for the host architecture's own tools (busybox's
 * applet list). Not aptDir(…, host): a native build of the host architecture may be
 * refreshing that root at the same moment, and apt runs there without locks.
 */
export const hostToolsAptDir = (cache: string, source: string, hostArch: string): string =>
  path.join(cache, 'apt', `${source}-${hostArch}-host-tools`);

/** The kernel's file name in an image: amd64 boots a compressed bzImage, arm64 the uncompressed Image. */
export const kernelFileName = (arch: string): string => (arch === 'amd64' ? 'vmlinuz' : 'Image');

/** What an image directory holds, image.json last (it is written last and marks the image complete). */
export const imageFiles = (arch: string): string[] => [kernelFileName(arch), 'initrd.img', 'rootfs.squashfs', 'image.json'];

/** The Debian name of the architecture this process runs on (what `vm:build` builds by default). */
export function hostGuestArch(nodeArch: string = process.arch): 'amd64' | 'arm64' {
  return nodeArch === 'arm64' ? 'arm64' : 'amd64';
}

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
