/**
 * Later starts of one WHARF_HOME, A/B: the shipped start against start levers
 * that are not shipped (or are shipped and can be turned off), alternated round
 * by round so drift in the host's load hits every variant alike. It prints each
 * start with its guest milestones, then the median per variant.
 *   START_AB=name,name   variants by name prefix (default: all)
 *   START_AB_ROUNDS=N    starts per variant (default 3)
 * Not a timed test: nothing here passes or fails on a figure.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { WharfTestEnv } from '../test/support/wharf-env.js';
import { formatMilestones, median, timedStart, type TimedStart } from './support/start-timing.js';

interface Variant {
  name: string;
  /** Environment of `wharf start` (the headless core it spawns reads it). */
  env?: NodeJS.ProcessEnv;
  /** `wharf set` arguments for this variant; the shipped values are set back after it. */
  settings?: string[];
  /** QEMU arguments rewritten by a wrapper (WHARF_QEMU), as sed expressions on each argument. */
  qemuSed?: string;
}

const VARIANTS: Variant[] = [
  { name: 'shipped' },
  { name: 'iptables randomized', env: { WHARF_TCG_IPTABLES_ASLR: 'on' } },
  { name: 'iptables by exec (no fork server)', env: { WHARF_TCG_IPTABLES_FORKSERVER: 'off' } },
  { name: 'memory=2048', settings: ['memory=2048'] },
  // The default is 2 on a 2-CPU host (half the host, at least 2); 1 was the default before.
  { name: 'cpus=1', settings: ['cpus=1'] },
  // No virtiofsd, no memfd-backed memory, no fs-reclaim in the guest.
  { name: 'no shared folders', settings: ['fileShares='] },
  { name: 'no free-page reporting', qemuSed: 's/free-page-reporting=on/free-page-reporting=off/' },
  // Guest THP is "always"; TCG's soft TLB flushes a whole large page's worth (or everything) per flush in one.
  { name: 'THP never', qemuSed: 's/panic=-1/panic=-1 transparent_hugepage=never/' },
];

/** A QEMU that runs the real one with each argument passed through sed. */
function qemuWrapper(dir: string, sed: string): string {
  const real = execFileSync('sh', ['-c', 'command -v qemu-system-x86_64']).toString().trim();
  const file = path.join(dir, `qemu-${Buffer.from(sed).toString('hex').slice(0, 16)}`);
  fs.writeFileSync(file, `#!/bin/sh\nfor a; do shift; set -- "$@" "$(printf '%s' "$a" | sed '${sed.replace(/'/g, `'\\''`)}')"; done\nexec ${real} "$@"\n`, { mode: 0o755 });
  return file;
}

async function main(): Promise<void> {
  const wanted = process.env.START_AB?.split(',').map((s) => s.trim()).filter(Boolean);
  const variants = [VARIANTS[0]!, ...VARIANTS.slice(1).filter((v) => !wanted || wanted.some((w) => v.name.startsWith(w)))];
  const rounds = Number(process.env.START_AB_ROUNDS ?? 3);
  const env = new WharfTestEnv('bench-start-ab');
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'wharf-start-ab-'));
  const results = new Map<string, TimedStart[]>(variants.map((v) => [v.name, []]));
  try {
    // The first start makes the certificates, the disk and the verdict: not a later start.
    const first = await env.wharf(['start'], { timeoutMs: 900_000 });
    if (first.code !== 0) throw new Error(first.stderr);
    const shipped = JSON.parse((await env.wharf(['get', '--json'])).stdout) as Record<string, unknown>;
    await env.wharf(['stop']);
    for (let round = 0; round < rounds; round++) {
      for (const v of variants) {
        if (v.settings) must(await env.wharf(['set', ...v.settings]), `${v.name}: wharf set`);
        const extra = { ...v.env, ...(v.qemuSed ? { WHARF_QEMU: qemuWrapper(scratch, v.qemuSed) } : {}) };
        const t = await timedStart(env, extra);
        results.get(v.name)!.push(t);
        console.log(`round ${round + 1} ${v.name}: ${t.seconds.toFixed(1)} s; milestones ${formatMilestones(t)}; dockerd "Loading containers" ${t.loadingContainers?.toFixed(1) ?? '?'} s`);
        must(await env.wharf(['stop']), `${v.name}: wharf stop`);
        if (v.settings) {
          const back = v.settings.map((kv) => kv.split('=')[0]!).map((k) => `${k}=${Array.isArray(shipped[k]) ? shipped[k].join(',') : String(shipped[k])}`);
          must(await env.wharf(['set', ...back]), `${v.name}: restoring ${back.join(' ')}`);
        }
      }
    }
    console.log('\nlater starts, wharf start -> first docker version through the host socket:');
    const base = median(results.get('shipped')!.map((t) => t.seconds));
    for (const v of variants) {
      const ts = results.get(v.name)!;
      const m = median(ts.map((t) => t.seconds));
      console.log(`${v.name.padEnd(24)} ${ts.map((t) => t.seconds.toFixed(1)).join(', ').padEnd(24)} median ${m.toFixed(1)} s (${(m / base).toFixed(2)}x shipped)`);
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
    env.cleanup();
  }
}

function must(r: { code: number | null; stderr: string }, what: string): void {
  if (r.code !== 0) throw new Error(`${what}: ${r.stderr.slice(-400)}`);
}

main().catch((err) => { console.error(err); process.exit(1); });
