/**
 * Copies the guest image for the current vm-assets/ (by content hash) from
 * $WHARF_CACHE/images/<hash>/ to build/vm-image/images/<hash>/, where
 * electron-builder.yml picks it up as resources/vm-image/. That directory has
 * the layout of a Wharf cache, so the packaged app passes it to the core as
 * its cacheDir. Run after `npm run vm:build`: node --import tsx build/stage-vm-image.ts
 */
import { copyFile, mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultCacheDir, IMAGE_FILES, imageDir } from '../vm-assets/builder/cache.js';
import { imageHash } from '../vm-assets/builder/hash.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');

const hash = await imageHash(repo);
const from = imageDir(defaultCacheDir(), hash);
const to = imageDir(path.join(here, 'vm-image'), hash);
for (const f of IMAGE_FILES) {
  try {
    await stat(path.join(from, f));
  } catch {
    console.error(`The VM image for this checkout (${hash.slice(0, 12)}…) is not built: ${path.join(from, f)} is missing. Run \`npm run vm:build\` first.`);
    process.exit(1);
  }
}
await rm(path.join(here, 'vm-image'), { recursive: true, force: true });
await mkdir(to, { recursive: true });
for (const f of IMAGE_FILES) await copyFile(path.join(from, f), path.join(to, f));
console.log(`staged ${from} → ${path.relative(repo, to)}`);
