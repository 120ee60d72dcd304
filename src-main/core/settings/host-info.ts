import { spawn } from 'node:child_process';
import { constants as fsc } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { HostInfo } from '../contract/types.js';
import type { DefaultsHost } from './defaults.js';

/**
 * Raw facts about this machine. Everything the settings code decides from
 * (defaults, validation, the Settings UI's choices) goes through this one
 * record, so tests inject a fake host instead of depending on the CI box.
 */
export interface HostProbe extends DefaultsHost {
  arch: string;
  /** `os.release()`: on macOS the Darwin kernel version (21.x = macOS 12). */
  osRelease: string;
  /** Linux: state of /dev/kvm for this user. */
  kvm: 'rw' | 'no-access' | 'missing' | 'not-linux';
  /** Path of the QEMU system emulator for this arch, if found. */
  qemuBinary?: string;
  virtiofsd?: string;
}

const VIRTIOFSD_CANDIDATES = ['/usr/libexec/virtiofsd', '/usr/lib/qemu/virtiofsd'];

function platformOf(p: NodeJS.Platform): HostProbe['platform'] {
  // Other Unixes are not supported targets; treat them like Linux so the
  // messages still make sense (no kvm, qemu+tcg only).
  return p === 'darwin' || p === 'win32' ? p : 'linux';
}

/**
 * The emulator the qemu backend runs (vm/qemu/qemu-binary.ts looks for the
 * same name): the guest image is x86_64 on every host arch.
 */
export function qemuSystemName(_arch: string, platform: NodeJS.Platform = process.platform): string {
  return platform === 'win32' ? 'qemu-system-x86_64.exe' : 'qemu-system-x86_64';
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    const st = await fs.stat(file);
    if (!st.isFile()) return false;
    if (process.platform === 'win32') return true;
    await fs.access(file, fsc.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** First executable `name` on PATH (with PATHEXT on Windows), like `which`. */
export async function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const dirs = (env.PATH ?? env.Path ?? '').split(path.delimiter).filter(Boolean);
  const exts = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of dirs) {
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext);
      if (await isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

async function probeKvm(platform: HostProbe['platform']): Promise<HostProbe['kvm']> {
  if (platform !== 'linux') return 'not-linux';
  try {
    await fs.stat('/dev/kvm');
  } catch {
    return 'missing';
  }
  try {
    await fs.access('/dev/kvm', fsc.R_OK | fsc.W_OK);
    return 'rw';
  } catch {
    return 'no-access';
  }
}

/** `wsl.exe --status` exits 0 only when WSL 2 is installed and usable. */
function probeWsl2(timeoutMs = 5000): Promise<boolean> {
  return new Promise((resolve) => {
    let child;
    try {
      child = spawn('wsl.exe', ['--status'], { stdio: 'ignore', windowsHide: true });
    } catch {
      resolve(false);
      return;
    }
    const timer = setTimeout(() => { child.kill(); resolve(false); }, timeoutMs);
    child.on('error', () => { clearTimeout(timer); resolve(false); });
    child.on('exit', (code) => { clearTimeout(timer); resolve(code === 0); });
  });
}

export async function findVirtiofsd(env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  for (const candidate of VIRTIOFSD_CANDIDATES) {
    if (await isExecutable(candidate)) return candidate;
  }
  return findOnPath('virtiofsd', env);
}

/** Reads the real machine. Slow bits (wsl.exe) run only on the platform they concern. */
export async function probeHost(env: NodeJS.ProcessEnv = process.env): Promise<HostProbe> {
  const platform = platformOf(process.platform);
  const arch = os.arch();
  return {
    platform,
    arch,
    cpus: Math.max(1, os.availableParallelism?.() ?? os.cpus().length),
    memoryMiB: Math.floor(os.totalmem() / (1024 * 1024)),
    homedir: os.homedir(),
    osRelease: os.release(),
    kvm: await probeKvm(platform),
    wsl2Available: platform === 'win32' ? await probeWsl2() : false,
    qemuBinary: env.WHARF_QEMU || (await findOnPath('qemu-system-x86_64', env)),
    virtiofsd: platform === 'linux' ? await findVirtiofsd(env) : undefined,
  };
}

function darwinMajor(osRelease: string): number {
  return Number.parseInt(osRelease.split('.')[0] ?? '', 10) || 0;
}

type BackendRow = HostInfo['backends'][number];
type AccelRow = HostInfo['accelerators'][number];

function backends(p: HostProbe): BackendRow[] {
  const qemuName = qemuSystemName(p.arch, p.platform);
  const qemu: BackendRow = p.qemuBinary
    ? { name: 'qemu', label: 'QEMU', available: true }
    : { name: 'qemu', label: 'QEMU', available: false, reason: `${qemuName} was not found on PATH; install QEMU (Debian/Ubuntu: sudo apt-get install qemu-system-x86) or set WHARF_QEMU to its path.` };
  const wsl: BackendRow = p.platform !== 'win32'
    ? { name: 'wsl', label: 'WSL 2', available: false, reason: 'WSL 2 exists only on Windows.' }
    : p.wsl2Available
      // The host could run it, but this build has no WSL 2 engine yet: say so rather than fail at start.
      ? { name: 'wsl', label: 'WSL 2', available: false, reason: 'This build of Wharf does not include the WSL 2 engine yet; it uses the QEMU VM.' }
      : { name: 'wsl', label: 'WSL 2', available: false, reason: 'WSL 2 did not answer `wsl.exe --status`; install it with `wsl --install` and reboot.' };
  // Virtualization.framework's Linux boot loader and virtio-fs need macOS 12 (Darwin 21).
  const vz: BackendRow = p.platform !== 'darwin'
    ? { name: 'vz', label: 'Virtualization.framework', available: false, reason: 'Virtualization.framework exists only on macOS.' }
    : darwinMajor(p.osRelease) >= 21
      ? { name: 'vz', label: 'Virtualization.framework', available: false, reason: 'This build of Wharf does not include the Virtualization.framework engine yet; it uses QEMU.' }
      : { name: 'vz', label: 'Virtualization.framework', available: false, reason: 'Virtualization.framework needs macOS 12 or later; upgrade macOS or use the qemu backend.' };
  return [qemu, wsl, vz];
}

function accelerators(p: HostProbe): AccelRow[] {
  let kvm: AccelRow;
  if (p.platform !== 'linux') kvm = { name: 'kvm', label: 'KVM', available: false, reason: 'KVM exists only on Linux.' };
  else if (p.kvm === 'missing') kvm = { name: 'kvm', label: 'KVM', available: false, reason: '/dev/kvm does not exist; enable virtualization in the firmware and load kvm_intel or kvm_amd.' };
  else if (p.kvm === 'no-access') kvm = { name: 'kvm', label: 'KVM', available: false, reason: '/dev/kvm is not readable and writable by you; add yourself to the kvm group (sudo usermod -aG kvm $USER) and log in again.' };
  // /dev/kvm being usable does not prove a guest runs (nested virtualization
  // can hang); the qemu backend proves it with a boot watchdog, so say so.
  else kvm = { name: 'kvm', label: 'KVM', available: true, reason: 'unproven: /dev/kvm is usable; a guest that hangs under KVM makes "auto" fall back to TCG at boot.' };
  const hvf: AccelRow = p.platform === 'darwin'
    ? { name: 'hvf', label: 'Hypervisor.framework', available: true }
    : { name: 'hvf', label: 'Hypervisor.framework', available: false, reason: 'Hypervisor.framework exists only on macOS.' };
  const whpx: AccelRow = p.platform === 'win32'
    ? { name: 'whpx', label: 'Windows Hypervisor Platform', available: true, reason: 'unproven: needs the "Windows Hypervisor Platform" feature; "auto" falls back to TCG if it is off.' }
    : { name: 'whpx', label: 'Windows Hypervisor Platform', available: false, reason: 'Windows Hypervisor Platform exists only on Windows.' };
  return [
    { name: 'auto', label: 'Automatic (fastest that works)', available: true },
    kvm,
    hvf,
    whpx,
    { name: 'tcg', label: 'Software emulation (TCG, slow)', available: true },
  ];
}

export function buildHostInfo(p: HostProbe): HostInfo {
  const info: HostInfo = {
    platform: p.platform,
    cpus: p.cpus,
    memoryMiB: p.memoryMiB,
    backends: backends(p),
    accelerators: accelerators(p),
  };
  if (p.virtiofsd) info.virtiofsd = p.virtiofsd;
  return info;
}

export async function hostInfo(env: NodeJS.ProcessEnv = process.env): Promise<HostInfo> {
  return buildHostInfo(await probeHost(env));
}
