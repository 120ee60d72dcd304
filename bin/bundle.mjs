// Builds and checks out/cli/wharf.mjs: src-main/cli/main.ts and everything it
// imports (the core included) in one ESM file, npm packages left external so
// they load from node_modules as before. Fresh means: the stamp next to it
// lists exactly the current sources with their sizes and mtimes.
import fs from 'node:fs';
import process from 'node:process';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outFile = path.join(repo, 'out', 'cli', 'wharf.mjs');
const stampFile = `${outFile}.stamp`;
export const BUNDLE = pathToFileURL(outFile).href;

function bundleError(message) {
  const err = new Error(message);
  err.wharfBundleError = true;
  return err;
}

/** One line per source file; a changed, added or removed file changes the stamp. */
function sourceStamp() {
  const files = fs.readdirSync(path.join(repo, 'src-main'), { recursive: true })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => path.join('src-main', f));
  files.push('package.json', 'tsconfig.json', path.join('bin', 'bundle.mjs'));
  const hash = createHash('sha256');
  for (const f of files.sort()) {
    const st = fs.statSync(path.join(repo, f), { throwIfNoEntry: false });
    hash.update(`${f}\0${st ? `${st.size}:${st.mtimeMs}` : 'missing'}\n`);
  }
  return hash.digest('hex');
}

export async function bundleIsFresh() {
  try {
    return fs.readFileSync(stampFile, 'utf8') === sourceStamp() && fs.existsSync(outFile);
  } catch {
    return false;
  }
}

export async function buildBundle() {
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    throw bundleError('esbuild is not installed');
  }
  const stamp = sourceStamp();
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  // Concurrent first runs each write their own temp file; the renames are atomic.
  const tmp = `${outFile}.${process.pid}.tmp`;
  try {
    await esbuild.build({
      entryPoints: [path.join(repo, 'src-main', 'cli', 'main.ts')],
      outfile: tmp,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      logLevel: 'silent',
    });
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw bundleError(`bundling failed: ${err.message.split('\n')[0]}`);
  }
  fs.renameSync(tmp, outFile);
  fs.writeFileSync(`${stampFile}.${process.pid}.tmp`, stamp);
  fs.renameSync(`${stampFile}.${process.pid}.tmp`, stampFile);
}
