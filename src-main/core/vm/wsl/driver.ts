import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { decodeWslOutput, parseDistroList, parseWslVersion, type WslVersions } from './decode.js';
import { failureProblem, versionProblem, wslError, type WslProblem } from './guidance.js';

export interface WslResult {
  code: number | null;
  stdout: Buffer;
  stderr: Buffer;
  /** wsl.exe's own words (decoded stderr, else stdout), for error messages. */
  words: string;
}

export interface WslDriverOptions {
  /** wsl.exe, or a test stand-in (WHARF_WSL_EXE). */
  exe: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/**
 * Every wsl.exe call goes through here: argument arrays, WSL_UTF8=1, decoded
 * output, exit codes rather than sentences. It never runs `--shutdown`, which
 * would stop every distro of the user.
 */
export class WslDriver {
  constructor(private readonly opts: WslDriverOptions) {}

  private env(): NodeJS.ProcessEnv {
    const base = this.opts.env ?? process.env;
    // WSLENV passes WSL_UTF8 on to Linux too; harmless there.
    return { ...base, WSL_UTF8: '1' };
  }

  run(args: string[], o: { input?: Buffer; timeoutMs?: number } = {}): Promise<WslResult> {
    if (args.includes('--shutdown')) throw new Error('wsl --shutdown stops every distro of the user; Wharf never runs it');
    return new Promise((resolve, reject) => {
      const child = spawn(this.opts.exe, args, { env: this.env(), windowsHide: true, stdio: ['pipe', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (d: Buffer) => out.push(d));
      child.stderr.on('data', (d: Buffer) => err.push(d));
      const timeoutMs = o.timeoutMs ?? this.opts.timeoutMs ?? 120_000;
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.on('error', (e) => { clearTimeout(timer); reject(e); });
      child.on('close', (code) => {
        clearTimeout(timer);
        const stdout = Buffer.concat(out);
        const stderr = Buffer.concat(err);
        const words = decodeWslOutput(stderr).trim() || decodeWslOutput(stdout).trim();
        resolve({ code, stdout, stderr, words });
      });
      child.stdin.on('error', () => undefined);
      child.stdin.end(o.input);
    });
  }

  /** Long-running `-d <distro> -u root --exec …`, held by the caller. */
  spawnExec(distro: string, command: string[], o: { env?: Record<string, string> } = {}): ChildProcessWithoutNullStreams {
    return spawn(this.opts.exe, ['-d', distro, '-u', 'root', '--exec', ...command], {
      env: { ...this.env(), ...o.env }, windowsHide: true, stdio: ['pipe', 'pipe', 'pipe'],
    });
  }

  async exec(distro: string, command: string[], o: { input?: Buffer; timeoutMs?: number } = {}): Promise<WslResult> {
    return this.run(['-d', distro, '-u', 'root', '--exec', ...command], o);
  }

  /** Why this WSL cannot run the engine, or undefined when it can; with its versions. */
  async check(): Promise<{ problem?: WslProblem; versions?: WslVersions }> {
    let r: WslResult;
    try {
      r = await this.run(['--version'], { timeoutMs: 15_000 });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { problem: { kind: 'missing' } };
      throw e;
    }
    const versions = parseWslVersion(decodeWslOutput(r.stdout));
    return { problem: versionProblem(r.code, versions), versions };
  }

  async list(): Promise<string[]> {
    const r = await this.run(['--list', '--quiet']);
    // No distro at all exits non-zero on some versions; an empty list is the answer.
    if (r.code !== 0) return [];
    return parseDistroList(decodeWslOutput(r.stdout));
  }

  async importDistro(name: string, dir: string, tarball: string): Promise<void> {
    const r = await this.run(['--import', name, dir, tarball, '--version', '2'], { timeoutMs: 600_000 });
    if (r.code !== 0) throw wslError(failureProblem(r.code, r.words));
  }

  async terminate(name: string): Promise<void> {
    // Exit code only: "not running" and "no such distro" are both fine here.
    await this.run(['--terminate', name], { timeoutMs: 60_000 });
  }

  /** Only for a factory reset: it deletes the distro's disk. */
  async unregister(name: string): Promise<void> {
    const r = await this.run(['--unregister', name], { timeoutMs: 120_000 });
    if (r.code !== 0 && (await this.list()).includes(name)) throw wslError(failureProblem(r.code, r.words));
  }
}
