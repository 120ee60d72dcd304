#!/usr/bin/env node
// The `wharf` command. It runs a bundle of the TypeScript CLI and core
// (out/cli/wharf.mjs, built by esbuild on first use and whenever a source file
// changes), so a fresh clone works without a build step and a start does not
// compile TypeScript again: `wharf start` runs node twice (CLI and headless core),
// and tsx cost ~0.5–1 s each time under load. If the bundle cannot be built,
// or WHARF_NO_BUNDLE=1, it falls back to tsx.
import process from 'node:process';
import { bundleIsFresh, buildBundle, BUNDLE } from './bundle.mjs';

async function run() {
  if (process.env.WHARF_NO_BUNDLE !== '1') {
    try {
      if (!(await bundleIsFresh())) await buildBundle();
      await import(BUNDLE);
      return;
    } catch (err) {
      if (err && err.wharfBundleError !== true) throw err;
      process.stderr.write(`[wharf] running from source (${err.message})\n`);
    }
  }
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src-main/cli/main.ts');
}

await run();
