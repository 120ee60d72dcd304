import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../../errors.js';

const run = promisify(execFile);

import type { QemuGuestArch } from './args.js';

/** Wharf does not bundle QEMU: the hint names the host's package for this guest's emulator. */
export function qemuInstallHint(platform: NodeJS.Platform, arch: QemuGuestArch = 'x86_64'): string {
  const deb = arch === 'aarch64' ? 'qemu-system-arm' : 'qemu-system-x86';
  switch (platform) {
    case 'darwin': return 'Install it with: brew install qemu';
    case 'win32': return 'Install QEMU for Windows from qemu.org, or turn on "Use the WSL 2 based engine".';
    default: return `Install it with: sudo apt-get install ${deb} (Debian/Ubuntu) or sudo dnf install ${arch === 'aarch64' ? 'qemu-system-aarch64' : 'qemu-system-x86'} (Fedora)`;
  }
}

/** The emulator for a guest architecture (x86_64 unless told otherwise). */
export function qemuExecutableName(platform: NodeJS.Platform, arch: QemuGuestArch = 'x86_64'): string {
  return platform === 'win32' ? `qemu-system-${arch}.exe` : `qemu-system-${arch}`;
}

/** qemu-system-<arch> on PATH (or $WHARF_QEMU); the one lookup Settings and the boot share. */
export function findQemuPath(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, arch: QemuGuestArch = 'x86_64'): string | undefined {
  const exe = qemuExecutableName(platform, arch);
  const candidates = env.WHARF_QEMU ? [env.WHARF_QEMU] : (env.PATH ?? '').split(path.delimiter).filter(Boolean).map((dir) => path.join(dir, exe));
  return candidates.find((c) => { try { fs.accessSync(c, fs.constants.X_OK); return true; } catch { return false; } });
}

/** Finds QEMU for the guest architecture and reads its version. */
export async function findQemu(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, arch: QemuGuestArch = 'x86_64'): Promise<{ path: string; version: string }> {
  const exe = qemuExecutableName(platform, arch);
  const found = findQemuPath(env, platform, arch);
  if (!found) throw new UserError(`QEMU (${exe}) was not found. ${qemuInstallHint(platform, arch)}`, 'qemu-missing');
  const { stdout } = await run(found, ['--version']);
  const version = /version (\S+)/.exec(stdout)?.[1] ?? 'unknown';
  return { path: found, version };
}
