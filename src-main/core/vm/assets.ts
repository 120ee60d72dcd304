import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GuestArch } from '../contract/types.js';
import { guestArchFor } from './guest-arch.js';
import { imageHash, MANIFEST_RELATIVE } from './image-hash.js';

/** A built guest image, as the VM backends need it (see vm-assets/README.md). */
export interface VmAssets {
  /** The guest's architecture (Debian names); the backend picks its emulator and machine from it. */
  arch: GuestArch;
  /** vmlinuz (amd64, compressed bzImage) or Image (arm64, uncompressed). */
  kernel: string;
  initrd: string;
  rootfs: string;
  hash: string;
  dir: string;
  kernelVersion: string;
  dockerVersion: string;
  containerdVersion: string;
  /** WSL 2 distros from the same root (vm-assets/builder/wsl-tarballs.ts); absent in older images. */
  wslRootfs?: string;
  wslData?: string;
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(() => true, () => false);
}

/**
 * The repo checkout this module lives in: walk up until vm-assets/wharf.yml
 * appears, so it works from src-main/ under tsx and from a bundled out/ dir.
 */
async function defaultRepoRoot(): Promise<string> {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (await exists(path.join(dir, MANIFEST_RELATIVE))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
}

/** The image hash the current manifest and guest scripts would build to, for one architecture. */
export async function manifestHash(repoRoot?: string, arch: GuestArch = guestArchFor()): Promise<string> {
  return imageHash(repoRoot ?? (await defaultRepoRoot()), arch);
}

interface ImageJson {
  hash?: unknown;
  kernelVersion?: unknown;
  dockerVersion?: unknown;
  containerdVersion?: unknown;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : 'unknown');

/** The image directory for the current manifest (complete or not), for backends that need only part of it. */
export async function imageDirFor(opts: { cacheDir: string; repoRoot?: string }): Promise<{ dir: string; hash: string } | null> {
  try {
    const hash = await manifestHash(opts.repoRoot);
    return { dir: path.join(opts.cacheDir, 'images', hash), hash };
  } catch {
    return null;
  }
}

/**
 * The built image for the current manifest, or null if `npm run vm:build` has not
 * produced it yet. image.json is written last by the builder (and the directory
 * is renamed into place), so its presence means the image is complete.
 */
export async function findVmAssets(opts: { cacheDir: string; repoRoot?: string; arch?: GuestArch }): Promise<VmAssets | null> {
  const arch = opts.arch ?? guestArchFor();
  let hash: string;
  try {
    hash = await manifestHash(opts.repoRoot, arch);
  } catch {
    return null; // no manifest (e.g. a packaged app without vm-assets)
  }
  const dir = path.join(opts.cacheDir, 'images', hash);
  let meta: ImageJson;
  try {
    meta = JSON.parse(await readFile(path.join(dir, 'image.json'), 'utf8')) as ImageJson;
  } catch {
    return null;
  }
  const assets: VmAssets = {
    arch,
    kernel: path.join(dir, arch === 'amd64' ? 'vmlinuz' : 'Image'),
    initrd: path.join(dir, 'initrd.img'),
    rootfs: path.join(dir, 'rootfs.squashfs'),
    hash,
    dir,
    kernelVersion: str(meta.kernelVersion),
    dockerVersion: str(meta.dockerVersion),
    containerdVersion: str(meta.containerdVersion),
  };
  for (const f of [assets.kernel, assets.initrd, assets.rootfs]) if (!(await exists(f))) return null;
  if (await exists(path.join(dir, 'wsl-rootfs.tar'))) assets.wslRootfs = path.join(dir, 'wsl-rootfs.tar');
  if (await exists(path.join(dir, 'wsl-data.tar'))) assets.wslData = path.join(dir, 'wsl-data.tar');
  return assets;
}
