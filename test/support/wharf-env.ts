import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const wharfBin = path.join(repoRoot, 'bin', 'wharf.mjs');

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
}

/** A throwaway WHARF_HOME and DOCKER_CONFIG, so tests never touch the user's. */
export class WharfTestEnv {
  readonly home: string;
  readonly dockerConfig: string;
  readonly env: NodeJS.ProcessEnv;

  constructor(name: string, extraEnv: NodeJS.ProcessEnv = {}) {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), `wharf-${name}-`));
    this.home = path.join(base, 'home');
    this.dockerConfig = path.join(base, 'docker-config');
    fs.mkdirSync(this.dockerConfig, { recursive: true });
    this.env = { ...process.env, WHARF_HOME: this.home, DOCKER_CONFIG: this.dockerConfig, DOCKER_BUILDKIT: '0', ...extraEnv };
    delete this.env.DOCKER_HOST;
    delete this.env.DOCKER_CONTEXT;
  }

  get socket(): string {
    return path.join(this.home, 'run', 'docker.sock');
  }

  run(cmd: string, args: string[], opts: { input?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
    const started = Date.now();
    return new Promise((resolve, reject) => {
      const child = spawn(cmd, args, { env: { ...this.env, ...opts.env }, stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
      child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
      const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 600_000);
      child.on('error', reject);
      child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr, seconds: (Date.now() - started) / 1000 }); });
      // A child that exits before reading its input must not crash the test with EPIPE.
      child.stdin.on('error', () => undefined);
      child.stdin.end(opts.input ?? '');
    });
  }

  wharf(args: string[], opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
    return this.run(process.execPath, [wharfBin, ...args], opts);
  }

  /** The unchanged docker CLI, through the context the test chooses. */
  docker(args: string[], opts: { input?: string; timeoutMs?: number; viaSocket?: boolean } = {}): Promise<RunResult> {
    const target = opts.viaSocket ? ['-H', `unix://${this.socket}`] : ['--context', 'wharf'];
    return this.run('docker', [...target, ...args], opts);
  }

  /** Ends anything a failed test left: the core and the VM, found by this home's path. */
  cleanup(): void {
    try { execFileSync('pkill', ['-KILL', '-f', this.home], { stdio: 'ignore' }); } catch {}
  }
}

export function qemuProcessesFor(home: string): number[] {
  try {
    return execFileSync('pgrep', ['-f', `qemu-system.*${home}`], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

export async function waitFor<T>(fn: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}
