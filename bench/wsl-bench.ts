/**
 * Issue #9 figure, measured in one run on this host: seconds from `wharf start`
 * to the first answered `docker version` through the host socket, with
 * backend=wsl (the stand-in wsl.exe running the real distro in namespaces:
 * first start includes both `wsl --import`s, a later start does not) and with
 * backend=qemu (the VM under this host's accelerator), and their ratio.
 * The stand-in has no VM boot of its own, so the WSL figure is the cost of
 * Wharf's WSL path plus the guest userland; a real WSL 2 adds its VM start
 * (about a second when the WSL VM is cold, nothing when another distro runs).
 */
import { WharfTestEnv } from '../test/support/wharf-env.js';
import { WslTestEnv } from '../test/support/wsl-standin-env.js';
import { findVmAssets } from '../src-main/core/vm/assets.js';
import { wharfCache } from '../src-main/core/paths.js';

async function timedStart(env: WharfTestEnv): Promise<number> {
  const t0 = Date.now();
  const start = env.wharf(['start']);
  for (;;) {
    const r = await env.docker(['version', '--format', '{{.Server.Version}}'], { viaSocket: true, timeoutMs: 10_000 });
    if (r.code === 0 && r.stdout.trim()) break;
    if (Date.now() - t0 > 900_000) throw new Error('the engine never answered');
    await new Promise((r2) => setTimeout(r2, 100));
  }
  const seconds = (Date.now() - t0) / 1000;
  const started = await start;
  if (started.code !== 0) throw new Error(started.stderr);
  return seconds;
}

async function measure(env: WharfTestEnv, backend: string): Promise<{ first: number; later: number }> {
  try {
    const set = await env.wharf(['set', `backend=${backend}`]);
    if (set.code !== 0) throw new Error(set.stderr);
    const first = await timedStart(env);
    await env.wharf(['stop'], { timeoutMs: 120_000 });
    const later = await timedStart(env);
    await env.wharf(['stop'], { timeoutMs: 120_000 });
    return { first, later };
  } finally {
    env.cleanup();
  }
}

const fmt = (s: number) => `${s.toFixed(1)} s`;
const wsl = await measure(new WslTestEnv('bench-wsl'), 'wsl');
console.log(`wsl  (stand-in): wharf start -> docker version: first ${fmt(wsl.first)} (imports both distros), later ${fmt(wsl.later)}`);
if (!(await findVmAssets({ cacheDir: wharfCache() }))) {
  console.log('qemu: skipped, the VM image is not built (npm run vm:build)');
} else {
  const qemu = await measure(new WharfTestEnv('bench-qemu'), 'qemu');
  console.log(`qemu (this host): wharf start -> docker version: first ${fmt(qemu.first)}, later ${fmt(qemu.later)}`);
  console.log(`ratio qemu/wsl: first ${(qemu.first / wsl.first).toFixed(1)}x, later ${(qemu.later / wsl.later).toFixed(1)}x`);
}
