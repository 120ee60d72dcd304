import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../../errors.js';

const run = promisify(execFile);

export function qemuInstallHint(platform: NodeJS.Platform): string {
  switch (platform) {
    case 'darwin': return 'Install it with: brew install qemu';
    case 'win32': return 'Install QEMU for Windows from qemu.org, or turn on "Use the WSL 2 based engine".';
    default: return 'Install it with: sudo apt-get install qemu-system-x86 (Debian/Ubuntu) or sudo dnf install qemu-system-x86 (Fedora)';
  }
}

/** The guest image is x86_64 on every host arch. */
export function qemuExecutableName(platform: NodeJS.Platform): string {
  return platform === 'win32' ? 'qemu-system-x86_64.exe' : 'qemu-system-x86_64';
}

/** qemu-system-x86_64 on PATH (or $WHARF_QEMU); the one lookup Settings and the boot share. */
export function findQemuPath(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string | undefined {
  const exe = qemuExecutableName(platform);
  const candidates = env.WHARF_QEMU ? [env.WHARF_QEMU] : (env.PATH ?? '').split(path.delimiter).filter(Boolean).map((dir) => path.join(dir, exe));
  return candidates.find((c) => { try { fs.accessSync(c, fs.constants.X_OK); return true; } catch { return false; } });
}

/** Finds QEMU and reads its version. */
export async function findQemu(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): Promise<{ path: string; version: string }> {
  const exe = qemuExecutableName(platform);
  const found = findQemuPath(env, platform);
  if (!found) throw new UserError(`QEMU (${exe}) was not found. ${qemuInstallHint(platform)}`, 'qemu-missing');
  const { stdout } = await run(found, ['--version']);
  const version = /version (\S+)/.exec(stdout)?.[1] ?? 'unknown';
  return { path: found, version };
}
