/**
 * Copies the guest images for the current vm-assets/ (by content hash, one per
 * architecture) from $WHARF_CACHE/images/<hash>/ to build/vm-image/<arch>/images/<hash>/,
 * where <arch> is electron-builder's name (x64, arm64). electron-builder.yml ships
 * build/vm-image/${arch} as resources/vm-image, so each package carries only its
 * own architecture's image, in the layout of a Wharf cache (main.ts passes
 * resources/vm-image to the core as its cacheDir).
 * Run after `npm run vm:build -- --arch all`: node --import tsx build/stage-vm-image.ts [--arch x64|arm64|all]
 */
import { copyFile, mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultCacheDir, imageDir, imageFiles } from '../vm-assets/builder/cache.js';
import { imageHash } from '../vm-assets/builder/hash.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');

/** electron-builder's architecture names and the guest image each package carries. */
export const PACKAGE_ARCHES = { x64: 'amd64', arm64: 'arm64' } as const;
type PackageArch = keyof typeof PACKAGE_ARCHES;

export async function stage(pkgArch: PackageArch, opts: { cache?: string; out?: string } = {}): Promise<string> {
  const guest = PACKAGE_ARCHES[pkgArch];
  const hash = await imageHash(repo, guest);
  const from = imageDir(opts.cache ?? defaultCacheDir(), hash);
  const base = path.join(opts.out ?? path.join(here, 'vm-image'), pkgArch);
  for (const f of imageFiles(guest)) {
    try {
      await stat(path.join(from, f));
    } catch {
      throw new Error(`The ${guest} VM image for this checkout (${hash.slice(0, 12)}…) is not built: ${path.join(from, f)} is missing. Run \`npm run vm:build -- --arch ${guest}\` first.`);
    }
  }
  await rm(base, { recursive: true, force: true });
  const to = imageDir(base, hash);
  await mkdir(to, { recursive: true });
  for (const f of imageFiles(guest)) await copyFile(path.join(from, f), path.join(to, f));
  return to;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--arch');
  const want = i > 0 ? process.argv[i + 1] : 'all';
  const arches = want === 'all' ? (Object.keys(PACKAGE_ARCHES) as PackageArch[]) : [want as PackageArch];
  try {
    for (const a of arches) {
      if (!(a in PACKAGE_ARCHES)) throw new Error(`--arch ${a}: use x64, arm64 or all`);
      console.log(`staged ${a}: ${path.relative(repo, await stage(a))}`);
    }
  } catch (e) {
    console.error((e as Error).message);
    process.exit(1);
  }
}
