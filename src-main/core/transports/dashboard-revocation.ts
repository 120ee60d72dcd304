import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { writeFileAtomic } from '../settings/atomic-write.js';
import { detached } from '../util/detached.js';

/*
 * `wharf dashboard --revoke` and the running dashboard meet in two files of
 * the owner-only run directory, which works the same on every OS (no signals
 * on Windows): the CLI writes a request nonce, the dashboard ends every
 * session and answers with the nonce and how many sessions ended.
 */
const REQUEST = 'dashboard.revoke';
const answerFile = (pid: number) => `dashboard-${pid}.json`;
const POLL_MS = 250;

interface Answer { pid: number; port: number; revoked?: { nonce: string; sessions: number } }

export class RevocationWatch {
  private last: string | undefined;

  constructor(private readonly runDir: string, private readonly revoke: () => number) {}

  /** Announces the running dashboard and starts watching for requests. */
  async start(port: number): Promise<void> {
    this.last = await this.readRequest();
    await this.answer({ pid: process.pid, port });
    fs.watchFile(path.join(this.runDir, REQUEST), { interval: POLL_MS, persistent: false }, () => detached(() => this.check(port), (line) => console.error(line), 'dashboard revocation'));
  }

  async stop(): Promise<void> {
    fs.unwatchFile(path.join(this.runDir, REQUEST));
    await fsp.rm(path.join(this.runDir, answerFile(process.pid)), { force: true });
  }

  private async check(port: number): Promise<void> {
    const nonce = await this.readRequest();
    if (!nonce || nonce === this.last) return;
    this.last = nonce;
    const sessions = this.revoke();
    await this.answer({ pid: process.pid, port, revoked: { nonce, sessions } });
  }

  private async readRequest(): Promise<string | undefined> {
    return fsp.readFile(path.join(this.runDir, REQUEST), 'utf8').then((t) => t.trim(), () => undefined);
  }

  private answer(a: Answer): Promise<void> {
    return writeFileAtomic(path.join(this.runDir, answerFile(process.pid)), JSON.stringify(a));
  }
}

export type RevokeOutcome = { kind: 'none-running' } | { kind: 'revoked'; sessions: number } | { kind: 'no-answer'; pids: number[] };

/** Asks every running dashboard of this home to end all its sessions; waits for their answers. */
export async function requestRevocation(runDir: string, timeoutMs = 5000): Promise<RevokeOutcome> {
  const running = (await readAnswers(runDir)).filter((a) => alive(a.pid));
  if (running.length === 0) return { kind: 'none-running' };
  const nonce = randomBytes(12).toString('base64url');
  await writeFileAtomic(path.join(runDir, REQUEST), nonce);
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const answers = await readAnswers(runDir);
    const waiting = running.filter((r) => answers.find((a) => a.pid === r.pid)?.revoked?.nonce !== nonce && alive(r.pid));
    if (waiting.length === 0) {
      const sessions = answers.reduce((n, a) => n + (a.revoked?.nonce === nonce ? a.revoked.sessions : 0), 0);
      return { kind: 'revoked', sessions };
    }
    if (performance.now() >= deadline) return { kind: 'no-answer', pids: waiting.map((w) => w.pid) };
    await new Promise((r) => setTimeout(r, POLL_MS / 2));
  }
}

async function readAnswers(runDir: string): Promise<Answer[]> {
  const names = await fsp.readdir(runDir).catch(() => [] as string[]);
  const out: Answer[] = [];
  for (const name of names.filter((n) => /^dashboard-\d+\.json$/.test(n))) {
    try {
      out.push(JSON.parse(await fsp.readFile(path.join(runDir, name), 'utf8')) as Answer);
    } catch {
      // Being replaced right now, or torn by a crash: the next poll reads it.
    }
  }
  return out;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
