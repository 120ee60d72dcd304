/**
 * Issue 11 bind-mount figures, one run: untar + read of a node_modules-like
 * tree on a virtio-fs bind mount vs on the VM's own disk (a named volume), in
 * the same VM, for each virtiofsd / QEMU / kernel option tried (one VM start
 * per option; WHARF_VIRTIOFS_TUNING, see src-main/core/vm/qemu/virtiofs.ts).
 * SHARE_BENCH_FILES (default 5,000) sizes the tree; SHARE_BENCH_VARIANTS
 * picks variants by name (comma-separated).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { WharfTestEnv } from '../test/support/wharf-env.js';
import { buildBusyboxImage } from '../test/support/test-image.js';

const FILES = Number(process.env.SHARE_BENCH_FILES ?? 5000);

const VARIANTS: Array<{ name: string; env: NodeJS.ProcessEnv; note?: string }> = [
  { name: 'before (cache=auto, TCG mitigations on)', env: { WHARF_TCG_MITIGATIONS: 'on' } },
  { name: 'shipped (cache=auto)', env: {} },
  { name: 'writeback', env: { WHARF_VIRTIOFS_TUNING: 'writeback' } },
  { name: 'thread-pool-size=1', env: { WHARF_VIRTIOFS_TUNING: 'threads=1' } },
  { name: 'queue-size=1024', env: { WHARF_VIRTIOFS_TUNING: 'queue=1024' } },
  { name: 'cache=always', env: { WHARF_VIRTIOFS_TUNING: 'cache=always' }, note: 'host edits then take up to a day to show: not shippable' },
  { name: 'cache=none', env: { WHARF_VIRTIOFS_TUNING: 'cache=none' } },
];

function makeTree(root: string): void {
  for (let i = 0; i < FILES; i++) {
    const dir = path.join(root, 'node_modules', `pkg${Math.floor(i / 50)}`, i % 2 ? 'lib' : 'dist');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `f${i}.js`), `module.exports = ${i}; // ${'x'.repeat(i % 400)}\n`);
  }
}

/** busybox `time` prints "real 0m 1.23s" on stderr. */
function realSeconds(stderr: string): number {
  const m = /real\s+(\d+)m\s*([\d.]+)s/.exec(stderr);
  if (!m) throw new Error(`no timing in: ${stderr.slice(-300)}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

async function main(): Promise<void> {
  const wanted = process.env.SHARE_BENCH_VARIANTS?.split(',').map((s) => s.trim());
  const variants = wanted ? VARIANTS.filter((v) => wanted.some((w) => v.name.startsWith(w))) : VARIANTS;
  const env = new WharfTestEnv('bench-share');
  const share = fs.mkdtempSync(path.join(os.tmpdir(), 'wharf-bench-share-'));
  const results: string[] = [];
  try {
    const src = fs.mkdtempSync(path.join(os.tmpdir(), 'wharf-tree-'));
    makeTree(src);
    execFileSync('tar', ['-cf', path.join(share, 'tree.tar'), '-C', src, 'node_modules']);
    fs.rmSync(src, { recursive: true });
    const set = await env.wharf(['set', 'memory=2048', `fileShares=${share}`]);
    if (set.code !== 0) throw new Error(set.stderr);
    let image = '';
    for (const v of variants) {
      // The headless core reads the options at start: wait until the last one left.
      for (let i = 0; i < 100 && fs.existsSync(path.join(env.home, 'run', 'control.sock')); i++) await new Promise((r) => setTimeout(r, 100));
      const start = await env.wharf(['start'], { timeoutMs: 900_000, env: v.env });
      if (start.code !== 0) throw new Error(`${v.name}: ${start.stderr}`);
      image ||= await buildBusyboxImage(env);
      const work = 'rm -rf $D/out && mkdir -p $D/out && tar -xf $T -C $D/out && find $D/out -type f -exec cat {} + > /dev/null';
      const onShare = await env.docker(['run', '--rm', '-e', 'D=/src', '-e', 'T=/src/tree.tar', '-v', `${share}:/src`, image, 'time', 'sh', '-c', work], { timeoutMs: 1_800_000 });
      const onDisk = await env.docker(['run', '--rm', '-e', 'D=/vol', '-e', 'T=/src/tree.tar', '-v', `${share}:/src:ro`, '-v', 'benchvol:/vol', image, 'time', 'sh', '-c', work], { timeoutMs: 1_800_000 });
      if (onShare.code !== 0 || onDisk.code !== 0) throw new Error(`${v.name}: ${onShare.stderr}\n${onDisk.stderr}`);
      const s = realSeconds(onShare.stderr);
      const d = realSeconds(onDisk.stderr);
      const line = `${v.name.padEnd(42)} bind mount ${s.toFixed(1).padStart(6)} s; VM disk ${d.toFixed(1).padStart(6)} s; ratio ${(s / d).toFixed(2)}x (goal <= 1.5x)${v.note ? `; ${v.note}` : ''}`;
      console.log(line);
      results.push(line);
      const stop = await env.wharf(['stop'], { timeoutMs: 120_000 });
      if (stop.code !== 0) throw new Error(stop.stderr);
    }
    console.log(`\n${FILES.toLocaleString('en')} files untar + read, per option:\n${results.join('\n')}`);
  } finally {
    env.cleanup();
    fs.rmSync(share, { recursive: true, force: true });
  }
}

main().catch((err) => { console.error(err); process.exit(1); });
