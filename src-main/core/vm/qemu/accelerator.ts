import fs from 'node:fs/promises';
import path from 'node:path';
import { constants } from 'node:fs';
import type { Accelerator } from '../../contract/types.js';

/**
 * Hardware accelerator per host OS; TCG (software emulation) is the universal
 * fallback. A hypervisor runs only guests of the host's own architecture: an
 * aarch64 guest on an x86-64 host (or the reverse) has no native accelerator.
 */
export function nativeAccelerator(platform: NodeJS.Platform, hostArch?: string, guestArch?: string): Accelerator | undefined {
  if (hostArch && guestArch && qemuHostArch(hostArch) !== guestArch) return undefined;
  switch (platform) {
    case 'linux': return 'kvm';
    case 'darwin': return 'hvf';
    case 'win32': return 'whpx';
    default: return undefined;
  }
}

/** Node's process.arch in QEMU's spelling. */
export function qemuHostArch(nodeArch: string): string {
  return nodeArch === 'x64' ? 'x86_64' : nodeArch === 'arm64' ? 'aarch64' : nodeArch;
}

export async function kvmUsable(): Promise<boolean> {
  try {
    await fs.access('/dev/kvm', constants.R_OK | constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * A remembered verdict: the boot watchdog found the native accelerator broken
 * on this host (e.g. nested KVM that hangs or aborts). Keyed by qemu version so
 * an upgrade gets a fresh try.
 */
export interface AcceleratorVerdict {
  accelerator: Accelerator;
  works: boolean;
  qemuVersion: string;
  reason?: string;
  at: string;
}

/** Per host user, shared by every WHARF_HOME (verdicts are keyed by QEMU version inside). */
export function acceleratorVerdictFile(cacheDir: string): string {
  return path.join(cacheDir, 'accelerator-verdicts.json');
}

export async function readVerdicts(file: string): Promise<AcceleratorVerdict[]> {
  try {
    const parsed = JSON.parse(await fs.readFile(file, 'utf8')) as unknown;
    return Array.isArray(parsed) ? (parsed as AcceleratorVerdict[]) : [];
  } catch {
    return [];
  }
}

export async function recordVerdict(file: string, verdict: AcceleratorVerdict): Promise<void> {
  const others = (await readVerdicts(file)).filter((v) => !(v.accelerator === verdict.accelerator && v.qemuVersion === verdict.qemuVersion));
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, JSON.stringify([...others, verdict], null, 2), { mode: 0o600 });
  await fs.rename(tmp, file);
}

/**
 * The order to try accelerators in. 'auto' tries the native one unless it is
 * missing or remembered as broken, then TCG. An explicit choice is tried alone.
 */
export function acceleratorPlan(opts: {
  requested: Accelerator | 'auto';
  platform: NodeJS.Platform;
  nativeAvailable: boolean;
  verdicts: AcceleratorVerdict[];
  qemuVersion: string;
  /** process.arch of the host and QEMU's name of the guest's; both default to "same". */
  hostArch?: string;
  guestArch?: string;
}): Accelerator[] {
  if (opts.requested !== 'auto') return [opts.requested];
  const native = nativeAccelerator(opts.platform, opts.hostArch, opts.guestArch);
  const knownBroken = opts.verdicts.some((v) => v.accelerator === native && !v.works && v.qemuVersion === opts.qemuVersion);
  if (native && opts.nativeAvailable && !knownBroken) return [native, 'tcg'];
  return ['tcg'];
}

/**
 * QEMU's own words when the accelerator itself fails to start (recorded from
 * QEMU 7.2 for kvm; hvf and whpx messages from their QEMU sources). Only these,
 * and the boot watchdog, make a verdict: a locked disk, a port taken between
 * probe and bind or too little memory are the same under any accelerator.
 */
const ACCELERATOR_ERRORS: RegExp[] = [
  /failed to initialize (kvm|hvf|whpx|nvmm|hax)/i,
  /Could not access KVM kernel module/i,
  /kvm version too old/i,
  /invalid accelerator/i,
  /-accel \w+:/, // any error QEMU attributes to the -accel option
  /\bKVM: /, // KVM: entry failed, KVM: Failed to create TCE table …
  /kvm_init_vcpu|KVM_CREATE_VM|failed to set MSR/i,
  /\bWHPX: /,
  /\bHV_(ERROR|BUSY|BAD_ARGUMENT|NO_RESOURCES|NO_DEVICE|DENIED|UNSUPPORTED)\b/,
];

export function isAcceleratorFailure(stderr: string): boolean {
  return ACCELERATOR_ERRORS.some((re) => re.test(stderr));
}
