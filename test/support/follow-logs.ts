import { spawn, type ChildProcess } from 'node:child_process';
import { waitFor, type WharfTestEnv } from './wharf-env.js';

export interface LogLine { at: number; text: string }

/** A container's stdout as it arrives (docker logs -f), with the host time of each line. */
export function follow(env: WharfTestEnv, container: string): { lines: LogLine[]; stop: () => void } {
  const lines: LogLine[] = [];
  const child: ChildProcess = spawn('docker', ['--context', 'wharf', 'logs', '-f', container], { env: env.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let partial = '';
  child.stdout!.on('data', (d: Buffer) => {
    const parts = (partial + d.toString()).split('\n');
    partial = parts.pop() ?? '';
    for (const text of parts) lines.push({ at: Date.now(), text });
  });
  return { lines, stop: () => child.kill('SIGKILL') };
}

/** The host time of the first line at or after `since` that matches. */
export async function lineAfter(lines: LogLine[], since: number, match: RegExp, timeoutMs: number): Promise<number> {
  return waitFor(async () => lines.find((l) => l.at >= since && match.test(l.text))?.at, timeoutMs, `a line matching ${match}`);
}
