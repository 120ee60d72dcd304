/**
 * Issue "Settings and resources" figures, measured in one run:
 *  1. untar + read a tree of 20,000 small files (node_modules-like) on a
 *     virtio-fs bind mount vs on the VM's own disk (a named volume);
 *  2. the VM's host RSS before a 1 GiB allocation in a container, at its
 *     peak, and 30 s after it is freed (virtio-balloon free page reporting).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { WharfTestEnv } from '../test/support/wharf-env.js';
import { buildBusyboxImage } from '../test/support/test-image.js';

// virtiofsd holds one descriptor per inode the guest has looked up; where its
// hard RLIMIT_NOFILE is 20,000 and it may not raise it (no CAP_SYS_RESOURCE,
// as in some sandboxes), 20,000 files plus their folders exceed it.
const FILES = Number(process.env.BENCH_FILES ?? 20_000);

function makeTree(root: string, files = FILES): void {
  for (let i = 0; i < files; i++) {
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
  const env = new WharfTestEnv('bench-settings');
  const share = fs.mkdtempSync(path.join(os.tmpdir(), 'wharf-bench-share-'));
  try {
    const src = fs.mkdtempSync(path.join(os.tmpdir(), 'wharf-tree-'));
    makeTree(src);
    execFileSync('tar', ['-cf', path.join(share, 'tree.tar'), '-C', src, 'node_modules']);
    const set = await env.wharf(['set', 'memory=2048', `fileShares=${share}`]);
    if (set.code !== 0) throw new Error(set.stderr);
    const start = await env.wharf(['start'], { timeoutMs: 900_000 });
    if (start.code !== 0) throw new Error(start.stderr);
    const image = await buildBusyboxImage(env);
    const work = 'rm -rf $D/out && mkdir -p $D/out && tar -xf $T -C $D/out && find $D/out -type f -exec cat {} + > /dev/null';
    const onShare = await env.docker(['run', '--rm', '-e', 'D=/src', '-e', 'T=/src/tree.tar', '-v', `${share}:/src`, image, 'time', 'sh', '-c', work], { timeoutMs: 1_800_000 });
    const onDisk = await env.docker(['run', '--rm', '-e', 'D=/vol', '-e', 'T=/src/tree.tar', '-v', `${share}:/src:ro`, '-v', 'benchvol:/vol', image, 'time', 'sh', '-c', work], { timeoutMs: 1_800_000 });
    if (onShare.code !== 0 || onDisk.code !== 0) throw new Error(`${onShare.stderr}\n${onDisk.stderr}`);
    const share_s = realSeconds(onShare.stderr);
    const disk_s = realSeconds(onDisk.stderr);

    const rss = async () => JSON.parse((await env.wharf(['status', '--json'])).stdout).vmHostMemoryBytes as number;
    const mib = (b: number) => `${Math.round(b / 1024 / 1024)} MiB`;
    const before = await rss();
    const alloc = env.docker(['run', '--rm', '--tmpfs', '/m:size=1200m', image, 'sh', '-c', 'dd if=/dev/zero of=/m/fill bs=1M count=1024 2>/dev/null && sleep 15 && rm /m/fill'], { timeoutMs: 600_000 });
    let peak = before;
    const sampler = setInterval(() => void rss().then((v) => { peak = Math.max(peak, v); }), 1000);
    await alloc;
    clearInterval(sampler);
    await new Promise((r) => setTimeout(r, 30_000));
    const after = await rss();
    await env.wharf(['stop'], { timeoutMs: 120_000 });

    console.log(`${FILES.toLocaleString('en')} files untar + read: bind mount (virtio-fs) ${share_s.toFixed(1)} s; VM disk ${disk_s.toFixed(1)} s; ratio ${(share_s / disk_s).toFixed(2)}x`);
    console.log(`VM host RSS: before ${mib(before)}; peak during 1 GiB allocation ${mib(peak)}; 30 s after free ${mib(after)} (given back ${mib(Math.max(0, peak - after))})`);
  } finally {
    env.cleanup();
  }
}

main().catch((err) => { console.error(err); process.exit(1); });
