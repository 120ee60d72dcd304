import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { runCommand } from '../process-util.js';
import { UserError } from '../../errors.js';
import type { QemuShare } from './args.js';
import { monotonicMs } from '../../util/clock.js';
import { recordVirtiofsd, stopVirtiofsdLeftovers } from './virtiofsd-processes.js';

const CANDIDATES = ['/usr/libexec/virtiofsd', '/usr/lib/qemu/virtiofsd', '/usr/lib/virtiofsd'];

export interface VirtiofsdInfo {
  path: string;
  /** The Rust virtiofsd takes --shared-dir; QEMU's older C one takes -o source=. */
  flavour: 'rust' | 'c';
}

export async function findVirtiofsd(env: NodeJS.ProcessEnv = process.env): Promise<VirtiofsdInfo | undefined> {
  const onPath = (env.PATH ?? '').split(path.delimiter).filter(Boolean).map((d) => path.join(d, 'virtiofsd'));
  for (const candidate of [...(env.WHARF_VIRTIOFSD ? [env.WHARF_VIRTIOFSD] : []), ...CANDIDATES, ...onPath]) {
    try {
      await fs.access(candidate, fs.constants.X_OK);
    } catch {
      continue;
    }
    const help = await runCommand(candidate, ['--help'], { timeoutMs: 5000 });
    return { path: candidate, flavour: /--shared-dir/.test(help.stdout + help.stderr) ? 'rust' : 'c' };
  }
  return undefined;
}

/**
 * A value inside a FUSE -o option list: libfuse's fuse_opt splits on ',' and
 * takes '\\' as an escape, so both are escaped and a folder named
 * "a,source=/etc" stays one value. (Settings refuse commas already; this is
 * the last line of defence for values that never went through them.)
 */
export function fuseOptionValue(value: string): string {
  return value.replace(/[\\,]/g, (c) => `\\${c}`);
}

/**
 * The knobs bench/share-bench.ts measures. `cache` stays 'auto' (1 s
 * attribute timeouts) by default: 'always' caches for a day, so a host edit
 * would not show in the container within a second.
 */
export interface VirtiofsTuning {
  cache: 'auto' | 'always' | 'none';
  writeback: boolean;
  /** 0 = requests served on the queue thread, as QEMU's virtiofsd does by default. */
  threadPoolSize?: number;
  /** vhost-user-fs-pci queue-size (QEMU default 128). */
  queueSize?: number;
}

export const DEFAULT_VIRTIOFS_TUNING: VirtiofsTuning = { cache: 'auto', writeback: false };

/**
 * WHARF_VIRTIOFS_TUNING, for benchmarks only: comma-separated
 * `cache=auto|always|none`, `writeback`, `threads=N`, `queue=N`.
 */
export function parseVirtiofsTuning(text: string | undefined, base: VirtiofsTuning = DEFAULT_VIRTIOFS_TUNING): VirtiofsTuning {
  const t: VirtiofsTuning = { ...base };
  for (const item of (text ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const [key, value] = item.split('=', 2) as [string, string | undefined];
    const int = (max: number) => {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0 || n > max) throw new UserError(`WHARF_VIRTIOFS_TUNING: ${key} needs a whole number from 0 to ${max}, not "${value ?? ''}".`, 'bad-tuning');
      return n;
    };
    if (key === 'cache' && (value === 'auto' || value === 'always' || value === 'none')) t.cache = value;
    else if (key === 'writeback' && value === undefined) t.writeback = true;
    else if (key === 'threads') t.threadPoolSize = int(64);
    else if (key === 'queue') t.queueSize = int(1024);
    else throw new UserError(`WHARF_VIRTIOFS_TUNING: unknown item "${item}" (use cache=auto|always|none, writeback, threads=N, queue=N).`, 'bad-tuning');
  }
  return t;
}

export function virtiofsdArgs(info: VirtiofsdInfo, socket: string, dir: string, opts: { tuning?: VirtiofsTuning; nofile?: number } = {}): string[] {
  const t = opts.tuning ?? DEFAULT_VIRTIOFS_TUNING;
  const common = [
    ...(opts.nofile ? [`--rlimit-nofile=${opts.nofile}`] : []),
    ...(t.threadPoolSize !== undefined ? [`--thread-pool-size=${t.threadPoolSize}`] : []),
  ];
  return info.flavour === 'rust'
    ? [`--socket-path=${socket}`, `--shared-dir=${dir}`, `--cache=${t.cache}`, `--sandbox=${process.getuid?.() === 0 ? 'namespace' : 'none'}`,
      ...(t.writeback ? ['--writeback'] : []), ...common]
    // The C virtiofsd parses its options with FUSE, which wants --opt=value.
    : [`--socket-path=${socket}`, '-o', `source=${fuseOptionValue(dir)}`, '-o', `cache=${t.cache}`, '-o', 'sandbox=chroot',
      ...(t.writeback ? ['-o', 'writeback'] : []), ...common];
}

/**
 * One virtiofsd per shared directory, detached so the shares outlive this
 * host process like the VM does. Each exits by itself when QEMU disconnects.
 */
export async function startVirtiofsd(runDir: string, shares: string[], opts: { tuning?: VirtiofsTuning; nofile?: number } = {}): Promise<QemuShare[]> {
  if (shares.length === 0) return [];
  const info = await findVirtiofsd();
  if (!info) {
    throw new UserError('File sharing needs virtiofsd, which was not found. Install it (Debian: sudo apt-get install virtiofsd, or qemu-system-common on bookworm), or remove the shared folders in Settings.', 'virtiofsd-missing');
  }
  // A virtiofsd an earlier, failed start left waiting would hold the share's lock.
  await stopVirtiofsdLeftovers(runDir);
  const result: QemuShare[] = [];
  for (const [i, dir] of shares.entries()) {
    const socket = path.join(runDir, `virtiofs-${i}.sock`);
    const log = path.join(runDir, `virtiofs-${i}.log`);
    await fs.rm(socket, { force: true });
    const out = await fs.open(log, 'w', 0o600);
    let child;
    try {
      child = spawn(info.path, virtiofsdArgs(info, socket, dir, opts), { detached: true, stdio: ['ignore', out.fd, out.fd] });
    } finally {
      await out.close();
    }
    child.unref();
    if (child.pid) await recordVirtiofsd(runDir, i, child.pid);
    const deadline = monotonicMs() + 5000;
    while (!(await fs.access(socket).then(() => true, () => false))) {
      if (monotonicMs() > deadline || child.exitCode !== null) {
        // None of this start's shares is of use now: stop the ones already serving, then say why.
        await stopVirtiofsdLeftovers(runDir);
        const said = (await fs.readFile(log, 'utf8').catch(() => '')).trim().split('\n').filter(Boolean).slice(-2).join(' ');
        throw new UserError(`virtiofsd could not share ${dir}${said ? `: ${said}` : ` (no socket after 5 s)`}. Check that the folder exists and is readable, or remove it from the shared folders in Settings (its log: ${log}).`, 'virtiofsd-failed');
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    result.push({ tag: `share${i}`, socket, queueSize: opts.tuning?.queueSize });
  }
  return result;
}
