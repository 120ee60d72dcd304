/**
 * Issue "engine in a VM" figures, all measured in one run:
 *  1. seconds from `wharf start` to the first answered `docker version`, for
 *     the first start in a new WHARF_HOME and for a later one, vs seconds to
 *     boot the same kernel to a trivial init, same accelerator;
 *  2. median `docker version` through the host socket vs straight to the
 *     guest's TLS port;
 *  3. kernel, initrd and root image sizes on disk and xz-compressed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, execFileSync } from 'node:child_process';
import { WharfTestEnv } from '../test/support/wharf-env.js';
import { findVmAssets } from '../src-main/core/vm/assets.js';
import { wharfCache } from '../src-main/core/paths.js';
import { acceleratorCmdline } from '../src-main/core/vm/qemu/args.js';
import { formatMilestones, median, timedStart, waitNoCore, type TimedStart } from './support/start-timing.js';
import type { Accelerator } from '../src-main/core/contract/types.js';

/** How Wharf started before issue 11's levers: tsx at every start, mitigations on and iptables randomized under TCG. */
const BEFORE_ENV = { WHARF_NO_BUNDLE: '1', WHARF_TCG_MITIGATIONS: 'on', WHARF_TCG_IPTABLES_ASLR: 'on' };

const runs = Number(process.env.BENCH_RUNS ?? 15);

/** The same kernel to a trivial init; `mem` picks the memory layout (the real start's: memfd + NUMA when sharing folders). */
async function trivialBoot(kernel: string, accel: Accelerator, mem: { mib: number; memfd: boolean } = { mib: 512, memfd: false }, env: NodeJS.ProcessEnv = process.env, cpus = 1): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wharf-trivial-'));
  fs.mkdirSync(path.join(dir, 'root', 'bin'), { recursive: true });
  fs.copyFileSync('/bin/busybox', path.join(dir, 'root', 'bin', 'busybox'));
  fs.writeFileSync(path.join(dir, 'root', 'init'), '#!/bin/busybox sh\n/bin/busybox echo TRIVIAL-INIT-REACHED\n/bin/busybox poweroff -f\n', { mode: 0o755 });
  const cpio = path.join(dir, 'initrd.cpio');
  const list = execFileSync('find', ['.'], { cwd: path.join(dir, 'root') });
  fs.writeFileSync(cpio, execFileSync('cpio', ['-o', '-H', 'newc'], { cwd: path.join(dir, 'root'), input: list, stdio: ['pipe', 'pipe', 'ignore'], maxBuffer: 64 * 1024 * 1024 }));
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const memArgs = mem.memfd ? ['-object', `memory-backend-memfd,id=mem,size=${mem.mib}M,share=on`, '-numa', 'node,memdev=mem'] : [];
    const cmdline = ['console=ttyS0', 'panic=-1', 'quiet', ...acceleratorCmdline(accel, env)].join(' ');
    const q = spawn('qemu-system-x86_64', ['-machine', 'q35', '-accel', accel, '-cpu', accel === 'tcg' ? 'max' : 'host', '-smp', String(cpus), '-m', `${mem.mib}M`, ...memArgs, '-display', 'none', '-nodefaults', '-no-user-config',
      '-serial', 'stdio', '-kernel', kernel, '-initrd', cpio, '-append', cmdline, '-no-reboot']);
    let out = '';
    q.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('TRIVIAL-INIT-REACHED')) {
        resolve(Number(process.hrtime.bigint() - started) / 1e9);
        q.kill('SIGKILL');
      }
    });
    q.on('close', () => reject(new Error(`trivial boot did not reach init: ${out.slice(-500)}`)));
  });
}

/** Host side only: `wharf status` with no core running (node twice: the CLI, then the headless core it spawns). */
async function coldStatus(env: WharfTestEnv, extraEnv: NodeJS.ProcessEnv): Promise<number> {
  await waitNoCore(env);
  const r = await env.wharf(['status'], { env: extraEnv });
  if (r.code !== 0) throw new Error(r.stderr);
  return r.seconds;
}

/** Bytes of `xz -9` output: the size an installer or download carries. */
function xzSize(file: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const xz = spawn('xz', ['-9', '-c', '-T1', file], { stdio: ['ignore', 'pipe', 'inherit'] });
    let n = 0;
    xz.stdout.on('data', (b: Buffer) => { n += b.length; });
    xz.on('error', reject);
    xz.on('close', (code) => (code === 0 ? resolve(n) : reject(new Error(`xz exit ${code}`))));
  });
}

async function main(): Promise<void> {
  const assets = await findVmAssets({ cacheDir: wharfCache() });
  if (!assets) throw new Error('Run `npm run vm:build` first.');
  const env = new WharfTestEnv('bench');
  try {
    // Host side first, before any VM loads the CPU: the CLI and core from tsx vs from the bundle.
    const hostTsx: number[] = [];
    const hostBundle: number[] = [];
    for (let i = 0; i < 3; i++) {
      hostTsx.push(await coldStatus(env, { WHARF_NO_BUNDLE: '1' }));
      hostBundle.push(await coldStatus(env, {}));
    }
    const first = await timedStart(env);
    await env.wharf(['stop']);
    // What users see every day: the image, certificates, disk and accelerator
    // verdict exist; only the VM boots.
    const warm = await timedStart(env);
    const status = JSON.parse((await env.wharf(['status', '--json'])).stdout);
    const accel: Accelerator = status.accelerator;
    const memMiB: number = status.resources?.memoryMiB ?? 512;
    const cpus: number = status.resources?.cpus ?? 1;
    await env.wharf(['stop']);
    // One lever alone, A/B alternated: iptables unrandomized under TCG (wharf.tcg=1) or not.
    const leverOn: TimedStart[] = [warm];
    const leverOff: TimedStart[] = [];
    const pairs = Number(process.env.BENCH_AB_PAIRS ?? 3);
    for (let i = 0; i < pairs; i++) {
      leverOff.push(await timedStart(env, { WHARF_TCG_IPTABLES_ASLR: 'on' }));
      await env.wharf(['stop']);
      if (i === pairs - 1) break;
      leverOn.push(await timedStart(env));
      await env.wharf(['stop']);
    }
    // The same later start as before this issue's levers, in the same run: with the
    // 1 vCPU a 2-CPU host got by default then.
    const setCpus = async (n: number) => { const r = await env.wharf(['set', `cpus=${n}`]); if (r.code !== 0) throw new Error(r.stderr); };
    await setCpus(1);
    const before = await timedStart(env, BEFORE_ENV);
    await env.wharf(['stop']);
    await setCpus(cpus);
    // The trivial boots run with no VM up, each with the vCPU count of the start it is compared with.
    const trivial = await trivialBoot(assets.kernel, accel, undefined, process.env, cpus);
    const trivialBefore = await trivialBoot(assets.kernel, accel, undefined, { ...process.env, ...BEFORE_ENV }, 1);
    const trivialBig = await trivialBoot(assets.kernel, accel, { mib: memMiB, memfd: true }, process.env, cpus);
    // A VM up again for the docker version figures.
    await timedStart(env);

    const state = JSON.parse(fs.readFileSync(path.join(env.home, 'run', 'vm-state.json'), 'utf8'));
    const certs = path.join(env.home, 'certs');
    const direct = ['--tlsverify', '--tlscacert', `${certs}/ca.pem`, '--tlscert', `${certs}/cert.pem`, '--tlskey', `${certs}/key.pem`, '-H', `tcp://127.0.0.1:${state.enginePort}`];
    const viaSocket: number[] = [];
    const viaTls: number[] = [];
    for (let i = 0; i < runs; i++) {
      // Interleaved so drift in the guest's load hits both equally.
      const a = await env.run('docker', ['-H', `unix://${env.socket}`, 'version']);
      const b = await env.run('docker', [...direct, 'version']);
      if (a.code !== 0 || b.code !== 0) throw new Error(`docker version failed: ${a.stderr} ${b.stderr}`);
      viaSocket.push(a.seconds);
      viaTls.push(b.seconds);
    }
    await env.wharf(['stop']);

    const size = (f: string) => fs.statSync(f).size;
    const mb = (n: number) => (n / 1e6).toFixed(1);
    const files = [['kernel', assets.kernel], ['initrd', assets.initrd], ['root', assets.rootfs]] as const;
    const packed = await Promise.all(files.map(([, f]) => xzSize(f)));
    const onDisk = files.reduce((n, [, f]) => n + size(f), 0);
    const shipped = packed.reduce((a, b) => a + b, 0);
    const ms = formatMilestones;
    console.log(`accelerator: ${accel}`);
    console.log(`boot, first start (certificates, new disk, mkfs, accelerator probe): wharf start -> first docker version ${first.seconds.toFixed(1)} s; same kernel to trivial init ${trivial.toFixed(1)} s (${cpus} vCPU, as the start); ratio ${(first.seconds / trivial).toFixed(2)}x`);
    console.log(`  milestones (s): ${ms(first)}`);
    console.log(`boot, later start: wharf start -> first docker version ${warm.seconds.toFixed(1)} s; same kernel to trivial init ${trivial.toFixed(1)} s; ratio ${(warm.seconds / trivial).toFixed(2)}x (goal <= 2.5x)`);
    console.log(`  milestones (s): ${ms(warm)}`);
    const loading = (t: TimedStart) => t.loadingContainers === undefined ? '?' : t.loadingContainers.toFixed(1);
    const startsOf = (xs: TimedStart[]) => xs.map((t) => `${t.seconds.toFixed(1)} s (dockerd "Loading containers" ${loading(t)} s)`).join(', ');
    const med = (xs: TimedStart[]) => median(xs.map((t) => t.seconds));
    console.log(`lever alone, later starts A/B: iptables unrandomized under TCG ${startsOf(leverOn)}; randomized ${startsOf(leverOff)}; medians ${med(leverOn).toFixed(1)} vs ${med(leverOff).toFixed(1)} s`);
    console.log(`boot, later start as before issue 11 (tsx, TCG mitigations on, iptables randomized, 1 vCPU): ${before.seconds.toFixed(1)} s; trivial init with the same kernel options ${trivialBefore.toFixed(1)} s; ratio ${(before.seconds / trivialBefore).toFixed(2)}x; vs today's trivial init ${(before.seconds / trivial).toFixed(2)}x`);
    console.log(`  milestones (s): ${ms(before)}`);
    console.log(`trivial init (${cpus} vCPU): 512 MiB ${trivial.toFixed(1)} s; ${memMiB} MiB memfd + NUMA (the start's memory layout) ${trivialBig.toFixed(1)} s`);
    console.log(`host side, wharf status with no core running (CLI + headless core), median of 3: tsx ${median(hostTsx).toFixed(2)} s; bundle ${median(hostBundle).toFixed(2)} s`);
    console.log(`docker version median over ${runs}: host socket ${(median(viaSocket) * 1000).toFixed(0)} ms; direct TLS ${(median(viaTls) * 1000).toFixed(0)} ms; ratio ${(median(viaSocket) / median(viaTls)).toFixed(2)}x (goal <= 1.10x)`);
    console.log(`sizes on disk: ${files.map(([n, f]) => `${n} ${mb(size(f))} MB`).join(', ')}; total ${mb(onDisk)} MB`);
    console.log(`sizes compressed (xz -9, as shipped): ${files.map(([n], i) => `${n} ${mb(packed[i]!)} MB`).join(', ')}; total ${mb(shipped)} MB (goal <= 60 MB)`);
  } finally {
    env.cleanup();
  }
}

main().catch((err) => { console.error(err); process.exit(1); });
