import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import path from 'node:path';

/**
 * Bump when the builder's output changes for the same manifest and guest files
 * (new strip rule, different squashfs options…): it is part of the image hash,
 * so existing caches stop matching instead of silently serving an old layout.
 */
export const BUILDER_VERSION = 3;

/*
 * The image hash lives in the core, not the builder: the app computes it from the
 * inputs it ships (resources/vm-assets) to find its image, and the builder
 * (vm-assets/builder) uses this same function to name what it builds.
 */
export const MANIFEST_RELATIVE = path.join('vm-assets', 'wharf.yml');
/** Every file under these goes into the image: guest scripts and the kernel configs. */
export const HASHED_DIRS = ['vm-assets/guest', 'vm-assets/kernel'] as const;
/** Everything the hash reads, '/'-separated from the repo root: a package must ship all of it. */
export const HASH_INPUTS = ['vm-assets/wharf.yml', ...HASHED_DIRS] as const;

async function listFiles(dir: string, base = dir): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(full, base)));
    else out.push(path.relative(base, full));
  }
  return out;
}

/**
 * Content hash of what defines an image: the manifest, every guest and kernel-config file (path,
 * executable bit and bytes, or a symlink's target), the builder version and the guest architecture. Paths are sorted and
 * written with '/' so the hash is the same on every platform and checkout.
 */
export async function imageHash(repoRoot: string, arch = 'amd64'): Promise<string> {
  const h = createHash('sha256');
  // Each architecture has its own image and so its own key.
  h.update(`wharf-builder-v${BUILDER_VERSION}\0${arch}\0`);
  h.update(await readFile(path.join(repoRoot, MANIFEST_RELATIVE)));
  const files: string[] = [];
  for (const dir of HASHED_DIRS) {
    for (const f of await listFiles(path.join(repoRoot, ...dir.split('/')))) files.push(`${dir}/${f.split(path.sep).join('/')}`);
  }
  files.sort();
  for (const rel of files) {
    const full = path.join(repoRoot, ...rel.split('/'));
    const st = await lstat(full);
    // Symlinks (var/run -> /run) are hashed by target, never followed.
    const kind = st.isSymbolicLink() ? 'l' : (st.mode & 0o111) !== 0 ? 'x' : '-';
    const data = st.isSymbolicLink() ? Buffer.from(await readlink(full)) : await readFile(full);
    h.update(`\0${rel}\0${kind}\0${data.length}\0`);
    h.update(data);
  }
  return h.digest('hex').slice(0, 16);
}
