/**
 * Issue 11 bind-mount figures, one run: untar + read of a node_modules-like
 * tree on a virtio-fs bind mount vs on the VM's own disk (a named volume), in
 * the same VM, for each virtiofsd / QEMU / kernel option tried (one VM start
 * per option; WHARF_VIRTIOFS_TUNING, see src-main/core/vm/qemu/virtiofs.ts).
 * SHARE_BENCH_FILES (default 5,000) sizes the tree; SHARE_BENCH_VARIANTS
 * picks variants by name (comma-separated). With the shipped options it also
 * times host edit -> inotify event in a container (the replayed-event path).
 * The 'synced folder' variant works on a syncedShares copy (unison, VM disk)
 * and also reports how long after the container the host has every file; the
 * '.syncignore' one has the tree ignored, so nothing goes back to the host.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawn } from 'node:child_process';
import { WharfTestEnv } from '../test/support/wharf-env.js';
import { buildBusyboxImage } from '../test/support/test-image.js';

const FILES = Number(process.env.SHARE_BENCH_FILES ?? 5000);

const VARIANTS: Array<{ name: string; env: NodeJS.ProcessEnv; note?: string; synced?: boolean; syncIgnore?: string }> = [
  { name: 'before (cache=auto, TCG mitigations on)', env: { WHARF_TCG_MITIGATIONS: 'on' } },
  { name: 'shipped (cache=auto)', env: {} },
  { name: 'writeback', env: { WHARF_VIRTIOFS_TUNING: 'writeback' } },
  { name: 'thread-pool-size=1', env: { WHARF_VIRTIOFS_TUNING: 'threads=1' } },
  { name: 'queue-size=1024', env: { WHARF_VIRTIOFS_TUNING: 'queue=1024' } },
  { name: 'cache=always', env: { WHARF_VIRTIOFS_TUNING: 'cache=always' }, note: 'host edits then take up to a day to show: not shippable' },
  { name: 'cache=none', env: { WHARF_VIRTIOFS_TUNING: 'cache=none' } },
  // A synchronized folder (syncedShares): the container works on a unison-kept copy on the VM disk.
  { name: 'synced folder (unison copy)', env: {}, synced: true },
  // The same with the sync at the containers' priority (before it was niced), for the A/B.
  { name: 'synced folder, sync not niced', env: { WHARF_SYNC_NICE: '0' }, synced: true },
  { name: 'synced folder, sync at nice 19', env: { WHARF_SYNC_NICE: '19' }, synced: true },
  // The same with the tree in .syncignore, as a container-installed node_modules would be: nothing is copied back.
  { name: 'synced folder, tree in .syncignore', env: {}, synced: true, syncIgnore: 'out/\n' },
];

function countFiles(dir: string): number {
  let n = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) n++;
  return n;
}

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

/** ms from a host write to the inotify event a container's watcher prints, per edit (median of SHARE_BENCH_EDITS). */
async function watcherLatency(env: WharfTestEnv, image: string, dir: string): Promise<number[]> {
  const run = await env.docker(['run', '-d', '--name', 'bench-watcher', '-v', `${dir}:/w`, image, 'inotify-watch', '/w']);
  if (run.code !== 0) throw new Error(`watcher: ${run.stderr}`);
  const lines: Array<{ at: number; text: string }> = [];
  const logs = spawn('docker', ['--context', 'wharf', 'logs', '-f', 'bench-watcher'], { env: env.env, stdio: ['ignore', 'pipe', 'ignore'] });
  let partial = '';
  logs.stdout.on('data', (d: Buffer) => {
    const parts = (partial + d.toString()).split('\n');
    partial = parts.pop() ?? '';
    for (const text of parts) lines.push({ at: Date.now(), text });
  });
  const seen = async (name: string, since: number, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const hit = lines.find((l) => l.at >= since && l.text.endsWith(`\t${name}`));
      if (hit) return hit.at;
      await new Promise((r) => setTimeout(r, 10));
    }
    return undefined;
  };
  try {
    // The host starts watching once docker reports the container: probe until events flow.
    const deadline = Date.now() + 120_000;
    for (let i = 0; ; i++) {
      if (Date.now() > deadline) throw new Error('watcher: no event from a host edit within 120 s');
      fs.writeFileSync(path.join(dir, 'probe.txt'), String(i));
      if (await seen('probe.txt', 0, 500)) break;
    }
    const out: number[] = [];
    for (let i = 0; i < Number(process.env.SHARE_BENCH_EDITS ?? 10); i++) {
      const name = `edit${i}.js`;
      const t0 = Date.now();
      fs.writeFileSync(path.join(dir, name), `${i}\n`);
      const at = await seen(name, t0, 10_000);
      if (at === undefined) throw new Error(`watcher: no event for ${name} within 10 s`);
      out.push(at - t0);
      await new Promise((r) => setTimeout(r, 200));
    }
    return out;
  } finally {
    logs.kill('SIGKILL');
    await env.docker(['rm', '-f', 'bench-watcher']);
  }
}

async function main(): Promise<void> {
  const wanted = process.env.SHARE_BENCH_VARIANTS?.split(',').map((s) => s.trim());
  const variants = wanted ? VARIANTS.filter((v) => wanted.some((w) => v.name.startsWith(w))) : VARIANTS;
  const env = new WharfTestEnv('bench-share');
  const share = fs.mkdtempSync(path.join(os.tmpdir(), 'wharf-bench-share-'));
  const results: string[] = [];
  let watcherLine = '';
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
      const synced = path.join(share, 'synced');
      if (v.synced) {
        fs.mkdirSync(synced, { recursive: true });
        fs.rmSync(path.join(synced, 'out'), { recursive: true, force: true });
        // Never an empty host side: unison refuses (Aborting) a run where one replica was emptied.
        fs.writeFileSync(path.join(synced, 'keep.txt'), 'kept\n');
        if (v.syncIgnore) fs.writeFileSync(path.join(synced, '.syncignore'), v.syncIgnore);
        else fs.rmSync(path.join(synced, '.syncignore'), { force: true });
        const s = await env.wharf(['set', `syncedShares=${synced}`]);
        if (s.code !== 0) throw new Error(s.stderr);
      }
      const start = await env.wharf(['start'], { timeoutMs: 900_000, env: v.env });
      if (start.code !== 0) throw new Error(`${v.name}: ${start.stderr}`);
      image ||= await buildBusyboxImage(env);
      if (v.synced) {
        for (let i = 0; ; i++) {
          const st = JSON.parse((await env.wharf(['status', '--json'])).stdout) as { syncedShares?: Array<{ state: string; reason?: string }> };
          const y = st.syncedShares?.[0];
          if (y?.state === 'ready') break;
          if (y?.state === 'error' || i > 600) throw new Error(`synced folder: ${y?.reason ?? 'not ready in 10 min'}`);
          await new Promise((r) => setTimeout(r, 1000));
        }
      }
      const work = 'rm -rf $D/out && mkdir -p $D/out && tar -xf $T -C $D/out && find $D/out -type f -exec cat {} + > /dev/null';
      const onShare = v.synced
        ? await env.docker(['run', '--rm', '-e', 'D=/s', '-e', 'T=/src/tree.tar', '-v', `${share}:/src:ro`, '-v', `${synced}:/s`, image, 'time', 'sh', '-c', work], { timeoutMs: 1_800_000 })
        : await env.docker(['run', '--rm', '-e', 'D=/src', '-e', 'T=/src/tree.tar', '-v', `${share}:/src`, image, 'time', 'sh', '-c', work], { timeoutMs: 1_800_000 });
      // The synced copy reaches the host after the container is done: time that too.
      let settled = '';
      if (v.syncIgnore) {
        settled = `; the host got ${fs.existsSync(path.join(synced, 'out')) ? countFiles(path.join(synced, 'out')) : 0} of the files (ignored)`;
      } else if (v.synced) {
        const t0 = Date.now();
        while (!fs.existsSync(path.join(synced, 'out')) || countFiles(path.join(synced, 'out')) < FILES) {
          if (Date.now() - t0 > 1_800_000) throw new Error('synced folder: the host did not get the tree within 30 min');
          await new Promise((r) => setTimeout(r, 500));
        }
        settled = `; all ${FILES.toLocaleString('en')} files on the host ${((Date.now() - t0) / 1000).toFixed(1)} s after the container finished`;
      }
      const onDisk = await env.docker(['run', '--rm', '-e', 'D=/vol', '-e', 'T=/src/tree.tar', '-v', `${share}:/src:ro`, '-v', 'benchvol:/vol', image, 'time', 'sh', '-c', work], { timeoutMs: 1_800_000 });
      if (onShare.code !== 0 || onDisk.code !== 0) throw new Error(`${v.name}: ${onShare.stderr}\n${onDisk.stderr}`);
      const s = realSeconds(onShare.stderr);
      const d = realSeconds(onDisk.stderr);
      const line = `${v.name.padEnd(42)} bind mount ${s.toFixed(1).padStart(6)} s; VM disk ${d.toFixed(1).padStart(6)} s; ratio ${(s / d).toFixed(2)}x (goal <= 1.5x)${settled}${v.note ? `; ${v.note}` : ''}`;
      console.log(line);
      results.push(line);
      if (v.name.startsWith('shipped')) {
        const watch = path.join(share, 'watched');
        fs.mkdirSync(watch, { recursive: true });
        const ms = await watcherLatency(env, image, watch);
        const sorted = [...ms].sort((a, b) => a - b);
        watcherLine = `host edit -> inotify event in a container (shipped options, ${ms.length} edits): median ${sorted[Math.floor(ms.length / 2)]} ms, min ${sorted[0]} ms, max ${sorted[ms.length - 1]} ms (each: ${ms.join(', ')})`;
        console.log(watcherLine);
      }
      const stop = await env.wharf(['stop'], { timeoutMs: 120_000 });
      if (stop.code !== 0) throw new Error(stop.stderr);
      if (v.synced) await env.wharf(['set', 'syncedShares=']);
    }
    console.log(`\n${FILES.toLocaleString('en')} files untar + read, per option:\n${results.join('\n')}`);
    if (watcherLine) console.log(watcherLine);
  } finally {
    env.cleanup();
    fs.rmSync(share, { recursive: true, force: true });
  }
}

main().catch((err) => { console.error(err); process.exit(1); });
