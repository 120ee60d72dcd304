import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { HostInfo } from '../../../src-main/core/contract/types.js';
import { defaultSettings } from '../../../src-main/core/settings/defaults.js';
import { buildHostInfo, type HostProbe } from '../../../src-main/core/settings/host-info.js';
import type { Settings } from '../../../src-main/core/contract/settings-schema.js';

/** A 2-CPU, 8 GiB Linux box with qemu and usable /dev/kvm, like this CI machine. */
export function fakeProbe(over: Partial<HostProbe> = {}): HostProbe {
  return {
    platform: 'linux',
    arch: 'x64',
    cpus: 2,
    memoryMiB: 8192,
    homedir: '/home/dev',
    osRelease: '6.1.0',
    kvm: 'rw',
    wsl2Available: false,
    qemuBinary: '/usr/bin/qemu-system-x86_64',
    ...over,
  };
}

export function fakeHost(over: Partial<HostProbe> = {}): HostInfo {
  return buildHostInfo(fakeProbe(over));
}

export function fakeDefaults(over: Partial<HostProbe> = {}, shares?: string[]): Settings {
  const s = defaultSettings(fakeProbe(over));
  if (shares) s.fileShares = shares;
  return s;
}

export async function tempDir(prefix = 'wharf-settings-'): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), prefix));
}
