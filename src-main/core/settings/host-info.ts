import os from 'node:os';
import type { HostInfo } from '../contract/types.js';
import type { DefaultsHost } from './defaults.js';
import { probeBackends, type BackendProbe } from '../vm/factory.js';

/**
 * Raw facts about this machine. Everything the settings code decides from
 * (defaults, validation, the Settings UI's choices) goes through this one
 * record, so tests inject a fake host instead of depending on the CI box.
 * What each backend needs is probed by the backend itself (vm/factory.ts).
 */
export interface HostProbe extends Omit<DefaultsHost, 'backends'>, BackendProbe {
  arch: string;
  /** `os.release()`: on macOS the Darwin kernel version (21.x = macOS 12). */
  osRelease: string;
}

function platformOf(p: NodeJS.Platform): HostProbe['platform'] {
  // Other Unixes are not supported targets; treat them like Linux so the
  // messages still make sense (no kvm, qemu+tcg only).
  return p === 'darwin' || p === 'win32' ? p : 'linux';
}

/** Reads the real machine. */
export async function probeHost(env: NodeJS.ProcessEnv = process.env): Promise<HostProbe> {
  const platform = platformOf(process.platform);
  const osRelease = os.release();
  return {
    platform,
    arch: os.arch(),
    cpus: Math.max(1, os.availableParallelism?.() ?? os.cpus().length),
    memoryMiB: Math.floor(os.totalmem() / (1024 * 1024)),
    homedir: os.homedir(),
    osRelease,
    ...(await probeBackends({ platform, osRelease }, env)),
  };
}

export function buildHostInfo(p: HostProbe): HostInfo {
  const info: HostInfo = {
    platform: p.platform,
    cpus: p.cpus,
    memoryMiB: p.memoryMiB,
    backends: p.backends,
    accelerators: p.accelerators,
  };
  if (p.virtiofsd) info.virtiofsd = p.virtiofsd;
  return info;
}

export async function hostInfo(env: NodeJS.ProcessEnv = process.env): Promise<HostInfo> {
  return buildHostInfo(await probeHost(env));
}
