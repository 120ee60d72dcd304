import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { HostInfo } from '../../../src-main/core/contract/types.js';
import { defaultSettings } from '../../../src-main/core/settings/defaults.js';
import { buildHostInfo, type HostProbe } from '../../../src-main/core/settings/host-info.js';
import { acceleratorRows, qemuRow, type QemuFacts } from '../../../src-main/core/vm/qemu/availability.js';
import type { Settings } from '../../../src-main/core/contract/settings-schema.js';

/** The host facts plus the raw backend facts the rows are computed from. */
export type FakeHost = Partial<Omit<HostProbe, 'backends' | 'accelerators'>> & Partial<Omit<QemuFacts, 'platform'>> & {
  /** Windows: whether the WSL 2 backend is usable there. */
  wslAvailable?: boolean;
};

/** A 2-CPU, 8 GiB Linux box with qemu and usable /dev/kvm, like this CI machine. */
export function fakeProbe(over: FakeHost = {}): HostProbe {
  const { kvm, qemuBinary, virtiofsd, wslAvailable, ...host } = over;
  const platform = host.platform ?? 'linux';
  const qemu: QemuFacts = {
    platform,
    kvm: kvm ?? (platform === 'linux' ? 'rw' : 'not-linux'),
    qemuBinary: 'qemuBinary' in over ? qemuBinary : '/usr/bin/qemu-system-x86_64',
    virtiofsd,
  };
  const wsl: HostInfo['backends'][number] = platform === 'win32' && wslAvailable
    ? { name: 'wsl', label: 'WSL 2', available: true }
    : { name: 'wsl', label: 'WSL 2', available: false, reason: platform === 'win32' ? 'WSL is not installed.' : 'WSL 2 exists only on Windows.' };
  const vz: HostInfo['backends'][number] = { name: 'vz', label: 'Virtualization.framework', available: false, reason: platform === 'darwin' ? 'not in this build' : 'Virtualization.framework exists only on macOS.' };
  return {
    platform,
    arch: 'x64',
    cpus: 2,
    memoryMiB: 8192,
    homedir: '/home/dev',
    osRelease: '6.1.0',
    backends: [qemuRow(qemu), wsl, vz],
    accelerators: acceleratorRows(qemu),
    ...(virtiofsd ? { virtiofsd } : {}),
    ...host,
  };
}

export function fakeHost(over: FakeHost = {}): HostInfo {
  return buildHostInfo(fakeProbe(over));
}

export function fakeDefaults(over: FakeHost = {}, shares?: string[]): Settings {
  const s = defaultSettings(fakeProbe(over));
  if (shares) s.fileShares = shares;
  return s;
}

export async function tempDir(prefix = 'wharf-settings-'): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), prefix));
}
