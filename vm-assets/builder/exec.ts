import { spawn } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import path from 'node:path';

export class BuildError extends Error {}

export interface RunOptions {
  cwd?: string;
  input?: string | Buffer;
  env?: NodeJS.ProcessEnv;
  /** Keep stdout in memory; large binary outputs should go through files instead. */
  capture?: boolean;
  /** Called with each line of stdout and stderr as it arrives (progress of long builds). */
  onLine?: (line: string) => void;
}

export interface RunResult {
  stdout: string;
  stderr: string;
}

/**
 * Runs a program with an argument array (never a shell string) so package names,
 * paths and versions can never be interpreted by a shell.
 */
export function run(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      env: opts.env ?? { ...process.env, LC_ALL: 'C' },
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const outLines = opts.onLine && lineSplitter(opts.onLine);
    const errLines = opts.onLine && lineSplitter(opts.onLine);
    child.stdout?.on('data', (b: Buffer) => {
      if (opts.capture !== false) out.push(b);
      outLines?.push(b);
    });
    child.stderr?.on('data', (b: Buffer) => {
      // A long build's stderr is only needed for its tail in the error message.
      err.push(b);
      if (errLines && err.length > 400) err.splice(0, 200);
      errLines?.push(b);
    });
    child.on('error', (e) => reject(new BuildError(`cannot run ${cmd}: ${e.message}`)));
    child.on('close', (code, signal) => {
      outLines?.flush();
      errLines?.flush();
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      if (code === 0) resolve({ stdout, stderr });
      else {
        const tail = (stderr || stdout).trim().split('\n').slice(-15).join('\n');
        reject(new BuildError(`${cmd} ${args.slice(0, 6).join(' ')}${args.length > 6 ? ' …' : ''} failed (${signal ?? `exit ${code}`}):\n${tail}`));
      }
    });
    if (child.stdin) {
      // A child that exits without reading its input must not crash the build.
      child.stdin.on('error', () => {});
      child.stdin.end(opts.input);
    }
  });
}

/** One splitter per stream, so lines of stdout and stderr never interleave mid-line. */
function lineSplitter(onLine: (line: string) => void): { push: (chunk: Buffer) => void; flush: () => void } {
  let pending = '';
  return {
    push: (chunk) => {
      const parts = (pending + chunk.toString('utf8')).split('\n');
      pending = parts.pop() ?? '';
      for (const l of parts) onLine(l);
    },
    flush: () => {
      if (pending) onLine(pending);
      pending = '';
    },
  };
}

/** Host tools the builder shells out to, and the Debian package that provides each. */
export const HOST_TOOLS: Record<string, string> = {
  'apt-get': 'apt',
  'apt-cache': 'apt',
  'dpkg-deb': 'dpkg',
  mksquashfs: 'squashfs-tools',
  cpio: 'cpio',
  tar: 'tar',
  xz: 'xz-utils',
  // Compiling the kernel.
  make: 'make',
  gcc: 'gcc',
  flex: 'flex',
  bison: 'bison',
  bc: 'bc',
  perl: 'perl',
};

/** The cross compiler a guest architecture needs on this host (none for a native build). */
export function crossTools(guestArch: 'amd64' | 'arm64', hostArch: string = process.arch): Record<string, string> {
  if (guestArch === 'arm64' && hostArch !== 'arm64') return { 'aarch64-linux-gnu-gcc': 'gcc-aarch64-linux-gnu', 'aarch64-linux-gnu-ld': 'binutils-aarch64-linux-gnu' };
  if (guestArch === 'amd64' && hostArch !== 'x64') return { 'x86_64-linux-gnu-gcc': 'gcc-x86-64-linux-gnu', 'x86_64-linux-gnu-ld': 'binutils-x86-64-linux-gnu' };
  return {};
}

/** Headers the kernel build compiles host tools against, and their packages. */
export const HOST_HEADERS: Record<string, string> = {
  '/usr/include/stdio.h': 'libc6-dev',
  '/usr/include/gelf.h': 'libelf-dev',
  '/usr/include/openssl/evp.h': 'libssl-dev',
};

async function onPath(tool: string): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, tool);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {}
  }
  return undefined;
}

/** Fails early, naming every missing tool and the package to install, before any download. */
export async function requireHostTools(tools: Record<string, string> = HOST_TOOLS, headers: Record<string, string> = HOST_HEADERS): Promise<void> {
  const missing: string[] = [];
  for (const [tool, pkg] of Object.entries(tools)) {
    if (!(await onPath(tool))) missing.push(`  ${tool}  (sudo apt-get install ${pkg})`);
  }
  for (const [file, pkg] of Object.entries(headers)) {
    if (!(await access(file, constants.R_OK).then(() => true, () => false))) missing.push(`  ${file}  (sudo apt-get install ${pkg})`);
  }
  if (missing.length) {
    throw new BuildError(`missing host tools needed to build the VM image:\n${missing.join('\n')}`);
  }
}

export { onPath };
