/**
 * Issue "arm64 / macOS" figures, all measured in one run:
 *  1. the arm64 guest under qemu-system-aarch64 with TCG: seconds from `wharf start`
 *     to the first answered `docker version`, vs the same kernel (Image) to a trivial init;
 *  2. a bind-mounted tree read and written by a container through 9p, through
 *     virtio-fs and on the VM's own disk (a named volume), on the x86-64 guest;
 *  3. the arm64 kernel + root, on disk and xz-compressed (goal <= 60 MB).
 * Run: node --import tsx bench/arm64-bench.ts   (needs `npm run vm:build -- --arch all`)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, execFileSync } from 'node:child_process';
import { WharfTestEnv } from '../test/support/wharf-env.js';
import { buildBusyboxImage } from '../test/support/test-image.js';
import { busyboxFor } from '../test/support/foreign-busybox.js';
import { findVmAssets } from '../src-main/core/vm/assets.js';
import { wharfCache } from '../src-main/core/paths.js';

const mb = (n: number): string => (n / 1e6).toFixed(1);

function xzSize(file: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const xz = spawn('xz', ['-9', '-c', '-T2', file], { stdio: ['ignore', 'pipe', 'inherit'] });
    let n = 0;
    xz.stdout.on('data', (b: Buffer) => { n += b.length; });
    xz.on('error', reject);
    xz.on('close', (code) => (code === 0 ? resolve(n) : reject(new Error(`xz exit ${code}`))));
  });
}

/** The arm64 Image to an initrd whose /init prints one line: the floor any boot pays. */
async function trivialArm64Boot(kernel: string): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wharf-trivial-arm64-'));
  fs.mkdirSync(path.join(dir, 'root', 'bin'), { recursive: true });
  fs.copyFileSync(await busyboxFor('arm64'), path.join(dir, 'root', 'bin', 'busybox'));
  fs.writeFileSync(path.join(dir, 'root', 'init'), '#!/bin/busybox sh\n/bin/busybox echo TRIVIAL-INIT-REACHED\n/bin/busybox poweroff -f\n', { mode: 0o755 });
  const cpio = path.join(dir, 'initrd.cpio');
  const list = execFileSync('find', ['.'], { cwd: path.join(dir, 'root') });
  fs.writeFileSync(cpio, execFileSync('cpio', ['-o', '-H', 'newc'], { cwd: path.join(dir, 'root'), input: list, stdio: ['pipe', 'pipe', 'ignore'], maxBuffer: 64 * 1024 * 1024 }));
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const q = spawn('qemu-system-aarch64', ['-machine', 'virt', '-accel', 'tcg', '-cpu', 'max', '-smp', '2', '-m', '2048', '-display', 'none', '-nodefaults', '-no-user-config',
      '-serial', 'stdio', '-kernel', kernel, '-initrd', cpio, '-append', 'console=ttyAMA0 panic=-1 quiet', '-no-reboot']);
    let out = '';
    q.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('TRIVIAL-INIT-REACHED')) {
        resolve(Number(process.hrtime.bigint() - started) / 1e9);
        q.kill('SIGKILL');
      }
    });
    q.on('close', () => reject(new Error(`trivial arm64 boot did not reach init: ${out.slice(-500)}`)));
  });
}

async function startToDockerVersion(env: WharfTestEnv): Promise<number> {
  const t0 = Date.now();
  const start = env.wharf(['start'], { timeoutMs: 1_200_000 });
  for (;;) {
    const r = await env.docker(['version', '--format', '{{.Server.Version}}'], { viaSocket: true, timeoutMs: 10_000 });
    if (r.code === 0 && r.stdout.trim()) break;
    if (Date.now() - t0 > 1_200_000) throw new Error('the arm64 engine never answered');
    await new Promise((res) => setTimeout(res, 250));
  }
  const seconds = (Date.now() - t0) / 1000;
  const s = await start;
  if (s.code !== 0) throw new Error(`wharf start failed: ${s.stderr}`);
  return seconds;
}

/** A source-tree-like folder: 40 dirs x 50 files of 4 KiB (8 MB, 2,000 files). */
function makeTree(dir: string): void {
  const block = Buffer.alloc(4096, 'x');
  for (let d = 0; d < 40; d++) {
    fs.mkdirSync(path.join(dir, `d${d}`), { recursive: true });
    for (let f = 0; f < 50; f++) fs.writeFileSync(path.join(dir, `d${d}`, `f${f}.txt`), block);
  }
}

/** What a build inside a container does to its bind mount: walk, read everything, write a copy. */
const WORKLOAD = 'cd /t && time -p sh -c "find src -type f | wc -l >/dev/null; du -s src >/dev/null; cat \\$(find src -type f) >/dev/null; rm -rf out; cp -r src out"';

async function treeSeconds(env: WharfTestEnv, image: string, mount: string[]): Promise<number> {
  const r = await env.docker(['run', '--rm', ...mount, image, 'sh', '-c', WORKLOAD], { timeoutMs: 600_000 });
  const real = /real\s+([\d.]+)/.exec(r.stderr);
  if (r.code !== 0 || !real) throw new Error(`tree workload failed: ${r.stderr}`);
  return Number(real[1]);
}

async function mountBench(): Promise<void> {
  const share = fs.mkdtempSync(path.join(os.tmpdir(), 'wharf-bench-share-'));
  fs.mkdirSync(path.join(share, 'src'));
  makeTree(path.join(share, 'src'));
  const env = new WharfTestEnv('bench-mounts');
  const results: Record<string, number> = {};
  try {
    for (const mech of ['virtiofs', '9p'] as const) {
      await env.wharf(['set', `fileSharing=${mech}`, `fileShares=${share}`]);
      const r = await env.wharf(['start'], { timeoutMs: 900_000 });
      if (r.code !== 0) throw new Error(`start (${mech}) failed: ${r.stderr}`);
      const image = await buildBusyboxImage(env);
      await treeSeconds(env, image, ['-v', `${share}:/t`]); // warm-up: host page cache, guest dentries
      results[mech] = await treeSeconds(env, image, ['-v', `${share}:/t`]);
      if (mech === '9p') {
        // The same tree on the VM's own disk (ext4 on the data disk), in the same boot.
        await env.docker(['volume', 'create', 'benchtree']);
        await env.docker(['run', '--rm', '-v', `${share}:/from`, '-v', 'benchtree:/t', image, 'sh', '-c', 'rm -rf /t/src && cp -r /from/src /t/src']);
        await treeSeconds(env, image, ['-v', 'benchtree:/t']);
        results['VM disk'] = await treeSeconds(env, image, ['-v', 'benchtree:/t']);
      }
      await env.wharf(['stop'], { timeoutMs: 120_000 });
    }
  } finally {
    await env.wharf(['stop'], { timeoutMs: 120_000 });
    env.cleanup();
  }
  const disk = results['VM disk']!;
  console.log(`bind-mount tree (2,000 files, 8 MB: find, du, read all, copy), x86-64 guest, warm, same run:`);
  for (const [k, v] of Object.entries(results)) console.log(`  ${k.padEnd(9)} ${v.toFixed(2)} s  (${(v / disk).toFixed(1)}x the VM disk)`);
  console.log(`  9p / virtio-fs: ${(results['9p']! / results.virtiofs!).toFixed(2)}x`);
}

async function arm64Bench(): Promise<void> {
  const assets = await findVmAssets({ cacheDir: wharfCache(), arch: 'arm64' });
  if (!assets) throw new Error('the arm64 image is not built: npm run vm:build -- --arch arm64');
  const trivial = await trivialArm64Boot(assets.kernel);
  const env = new WharfTestEnv('bench-arm64', { WHARF_GUEST_ARCH: 'arm64' });
  let full: number;
  try {
    await env.wharf(['set', 'cpus=2', 'memory=2048', 'fileShares=']);
    full = await startToDockerVersion(env);
  } finally {
    await env.wharf(['stop'], { timeoutMs: 120_000 });
    env.cleanup();
  }
  console.log(`arm64 guest, qemu-system-aarch64 TCG (-cpu max, 2 vCPUs), first start in a new home:`);
  console.log(`  wharf start -> docker version: ${full.toFixed(1)} s; same Image -> trivial init: ${trivial.toFixed(1)} s; ratio ${(full / trivial).toFixed(1)}x`);

  const files: Array<[string, string]> = [['Image', assets.kernel], ['initrd', assets.initrd], ['rootfs', assets.rootfs]];
  const onDisk = files.map(([, f]) => fs.statSync(f).size);
  const packed = await Promise.all(files.map(([, f]) => xzSize(f)));
  console.log(`arm64 sizes on disk: ${files.map(([n], i) => `${n} ${mb(onDisk[i]!)} MB`).join(', ')}`);
  console.log(`arm64 sizes compressed (xz -9): ${files.map(([n], i) => `${n} ${mb(packed[i]!)} MB`).join(', ')}; kernel + root ${mb(packed.reduce((a, b) => a + b, 0))} MB (goal <= 60 MB)`);
}

const only = process.argv[2];
if (!only || only === 'arm64') await arm64Bench();
if (!only || only === 'mounts') await mountBench();
