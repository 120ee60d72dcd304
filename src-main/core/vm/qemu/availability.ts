import fs from 'node:fs/promises';
import { constants as fsc } from 'node:fs';
import type { HostInfo } from '../../contract/types.js';
import { findQemuPath, qemuExecutableName, qemuInstallHint } from './qemu-binary.js';
import { findVirtiofsd } from './virtiofs.js';
import { qemuArchOf, type QemuGuestArch } from './args.js';
import { guestArchFor } from '../guest-arch.js';

type BackendRow = HostInfo['backends'][number];
type AccelRow = HostInfo['accelerators'][number];

/** The raw facts the QEMU backend's availability is decided from (tests inject them). */
export interface QemuFacts {
  platform: 'linux' | 'darwin' | 'win32';
  qemuBinary?: string;
  /** Linux: state of /dev/kvm for this user. */
  kvm: 'rw' | 'no-access' | 'missing' | 'not-linux';
  virtiofsd?: string;
  /** The emulator the guest needs (qemu-system-aarch64 for the arm64 guest); x86_64 when absent. */
  arch?: QemuGuestArch;
}

async function probeKvm(platform: QemuFacts['platform']): Promise<QemuFacts['kvm']> {
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

/** Uses the same lookups as the boot itself (findQemuPath, findVirtiofsd), so Settings and start agree. */
export async function probeQemu(platform: QemuFacts['platform'], env: NodeJS.ProcessEnv = process.env): Promise<QemuFacts> {
  const arch = qemuArchOf(guestArchFor(process.arch, env));
  return {
    platform,
    arch,
    qemuBinary: findQemuPath(env, platform, arch),
    kvm: await probeKvm(platform),
    virtiofsd: platform === 'linux' ? (await findVirtiofsd(env))?.path : undefined,
  };
}

export function qemuRow(f: QemuFacts): BackendRow {
  return f.qemuBinary
    ? { name: 'qemu', label: f.platform === 'win32' ? 'QEMU (WHPX)' : 'QEMU', available: true }
    : { name: 'qemu', label: 'QEMU', available: false, reason: `${qemuExecutableName(f.platform, f.arch)} was not found on PATH. ${qemuInstallHint(f.platform, f.arch)} (or set WHARF_QEMU to its path).` };
}

export function acceleratorRows(f: QemuFacts): AccelRow[] {
  let kvm: AccelRow;
  if (f.platform !== 'linux') kvm = { name: 'kvm', label: 'KVM', available: false, reason: 'KVM exists only on Linux.' };
  else if (f.kvm === 'missing') kvm = { name: 'kvm', label: 'KVM', available: false, reason: '/dev/kvm does not exist; enable virtualization in the firmware and load kvm_intel or kvm_amd.' };
  else if (f.kvm === 'no-access') kvm = { name: 'kvm', label: 'KVM', available: false, reason: '/dev/kvm is not readable and writable by you; add yourself to the kvm group (sudo usermod -aG kvm $USER) and log in again.' };
  // /dev/kvm being usable does not prove a guest runs (nested virtualization
  // can hang); the boot watchdog proves it, so say so.
  else kvm = { name: 'kvm', label: 'KVM', available: true, reason: 'unproven: /dev/kvm is usable; a guest that hangs under KVM makes "auto" fall back to TCG at boot.' };
  const hvf: AccelRow = f.platform === 'darwin'
    ? { name: 'hvf', label: 'Hypervisor.framework', available: true }
    : { name: 'hvf', label: 'Hypervisor.framework', available: false, reason: 'Hypervisor.framework exists only on macOS.' };
  const whpx: AccelRow = f.platform === 'win32'
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
