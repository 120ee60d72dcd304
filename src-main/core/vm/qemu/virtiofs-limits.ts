import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * virtiofsd (QEMU's C one, and the Rust one without --inode-file-handles)
 * holds one descriptor per inode the guest has looked up. Its RLIMIT_NOFILE is
 * what this process passes on: it may lift the soft limit up to the hard one,
 * but raising the hard limit needs CAP_SYS_RESOURCE.
 */
export interface OpenFileLimit {
  soft: number;
  hard: number;
  /** CAP_SYS_RESOURCE: virtiofsd may raise the hard limit itself (to ~1,000,000). */
  canRaise: boolean;
}

const CAP_SYS_RESOURCE = 24n;

/** Parses /proc/<pid>/limits and /proc/<pid>/status (Linux). */
export function parseOpenFileLimit(limits: string, status: string): OpenFileLimit | undefined {
  const m = /^Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/m.exec(limits);
  if (!m) return undefined;
  const num = (s: string) => (s === 'unlimited' ? Number.MAX_SAFE_INTEGER : Number(s));
  const cap = /^CapEff:\s*([0-9a-f]+)/m.exec(status);
  const canRaise = cap ? ((BigInt(`0x${cap[1]}`) >> CAP_SYS_RESOURCE) & 1n) === 1n : false;
  return { soft: num(m[1]!), hard: num(m[2]!), canRaise };
}

export async function openFileLimit(): Promise<OpenFileLimit | undefined> {
  if (process.platform !== 'linux') return undefined;
  try {
    const [limits, status] = await Promise.all([fs.readFile('/proc/self/limits', 'utf8'), fs.readFile('/proc/self/status', 'utf8')]);
    return parseOpenFileLimit(limits, status);
  } catch {
    return undefined;
  }
}

/**
 * virtiofsd's --rlimit-nofile: without the capability it must not ask for more
 * than the hard limit (QEMU's virtiofsd then silently keeps the soft one, 1,024
 * on many desktops); with it, virtiofsd's own default (up to 1,000,000) is best.
 */
export function virtiofsdNofile(limit: OpenFileLimit | undefined): number | undefined {
  if (!limit || limit.canRaise) return undefined;
  return limit.hard;
}

/** Counts entries under dir, stopping at max (and after timeMs): enough to say "more than the limit". */
export async function countEntriesUpTo(dir: string, max: number, timeMs = 5000): Promise<{ count: number; complete: boolean }> {
  const deadline = Date.now() + timeMs;
  let count = 0;
  const stack = [dir];
  while (stack.length > 0) {
    if (count >= max || Date.now() > deadline) return { count, complete: false };
    const d = stack.pop()!;
    let handle;
    try {
      handle = await fs.opendir(d, { bufferSize: 256 });
    } catch {
      continue;
    }
    for await (const entry of handle) {
      count++;
      if (entry.isDirectory()) stack.push(path.join(d, entry.name));
      if (count >= max) break;
    }
  }
  return { count, complete: true };
}

/**
 * The notice for `wharf status` and the UI, before a build fails with
 * "Too many open files": a shared folder holds more entries than virtiofsd may open.
 */
export async function shareLimitNotices(shares: string[], limit: OpenFileLimit | undefined): Promise<string[]> {
  if (!limit || limit.canRaise) return [];
  const notices: string[] = [];
  for (const dir of shares) {
    const { count } = await countEntriesUpTo(dir, limit.hard + 1);
    if (count <= limit.hard) continue;
    notices.push(`The shared folder ${dir} holds more than ${limit.hard.toLocaleString('en')} files, the most this host lets the file-sharing process keep open (hard RLIMIT_NOFILE). ` +
      'Wharf makes the VM release cached files before that limit, so a large tree works, but a job that keeps more than that many open at once will fail with "Too many open files". ' +
      'Raise the hard limit for your session (e.g. LimitNOFILE= in systemd or /etc/security/limits.conf), or share a smaller folder in Settings.');
  }
  return notices;
}
