/**
 * Timing a `wharf start` the way a user feels it: from the command to the first
 * `docker version` answered through the host socket, with the guest's console
 * milestones and dockerd's own network-setup step. Shared by engine-bench and
 * start-ab.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { WharfTestEnv } from '../../test/support/wharf-env.js';
import { parseConsoleLine } from '../../src-main/core/vm/milestones.js';

/** First time each WHARF-MILESTONE shows in the console log, in seconds after t0. */
export function watchMilestones(consoleLog: string, t0: number): { stop: () => Map<string, number> } {
  const seen = new Map<string, number>();
  // The previous boot's log stays until `wharf start` rotates it; it does not count.
  const previous = fs.statSync(consoleLog, { throwIfNoEntry: false })?.ino;
  const timer = setInterval(() => {
    let text: string;
    try {
      if (fs.statSync(consoleLog).ino === previous) return;
      text = fs.readFileSync(consoleLog, 'utf8');
    } catch { return; }
    for (const line of text.split('\n')) {
      const signal = parseConsoleLine(line);
      if (signal?.kind === 'milestone' && !seen.has(signal.name)) seen.set(signal.name, (Date.now() - t0) / 1000);
    }
  }, 100);
  return { stop: () => { clearInterval(timer); return seen; } };
}

export interface TimedStart { seconds: number; milestones: Map<string, number>; loadingContainers?: number }

/** Seconds dockerd logged between "Loading containers: start." and "done." (its network setup, where the iptables runs are). */
export async function loadingContainersSeconds(env: WharfTestEnv): Promise<number | undefined> {
  const r = await env.wharf(['shell', '-c', 'grep "Loading containers" /var/log/dockerd.log']);
  // Millisecond precision (Date.parse) is plenty for a figure in seconds.
  const at = (what: string) => {
    const m = new RegExp(`time="([^"]+)"[^\\n]*Loading containers: ${what}`).exec(r.stdout);
    return m ? Date.parse(m[1]!) : undefined;
  };
  const a = at('start'); const b = at('done');
  return a === undefined || b === undefined ? undefined : (b - a) / 1000;
}

/** `wharf start` until the first `docker version` through the host socket answers. */
export async function timedStart(env: WharfTestEnv, extraEnv: NodeJS.ProcessEnv = {}): Promise<TimedStart> {
  // The headless core leaves ~1.5 s after a stop; the next start must spawn a new one (with extraEnv).
  await waitNoCore(env);
  const t0 = Date.now();
  const watcher = watchMilestones(path.join(env.home, 'logs', 'console.log'), t0);
  const start = env.wharf(['start'], { env: extraEnv });
  let seconds: number;
  for (;;) {
    const r = await env.docker(['version', '--format', '{{.Server.Version}}'], { viaSocket: true, timeoutMs: 10_000 });
    if (r.code === 0 && r.stdout.trim()) { seconds = (Date.now() - t0) / 1000; break; }
    if (Date.now() - t0 > 900_000) throw new Error('engine never answered');
    await new Promise((r2) => setTimeout(r2, 200));
  }
  const milestones = watcher.stop();
  const started = await start;
  if (started.code !== 0) throw new Error(started.stderr);
  return { seconds, milestones, loadingContainers: await loadingContainersSeconds(env) };
}

export async function waitNoCore(env: WharfTestEnv): Promise<void> {
  for (let i = 0; i < 100 && fs.existsSync(path.join(env.home, 'run', 'control.sock')); i++) await new Promise((r) => setTimeout(r, 100));
}


export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** "init 5.5, root 5.8, …": seconds after `wharf start`, in the order the guest printed them. */
export function formatMilestones(t: TimedStart): string {
  return [...t.milestones].map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ');
}
