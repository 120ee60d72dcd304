import os from 'node:os';
import type { BackendName, HostInfo } from '../contract/types.js';
import type { HostWideResourcesControl, VmBackend } from './backend.js';
import type { VmAssets } from './assets.js';
import type { WharfPaths } from '../paths.js';
import { UnavailableBackend } from './unavailable.js';
import { QemuBackend } from './qemu/lifecycle.js';
import { qemuPaths } from './qemu/paths.js';
import { acceleratorRows, probeQemu, qemuRow } from './qemu/availability.js';
import { WslBackend } from './wsl/lifecycle.js';
import { wslPaths } from './wsl/paths.js';
import { probeWsl, wslExecutable } from './wsl/availability.js';
import { WslConfigFile, wslConfigPath } from './wsl/wslconfig-file.js';
import { UserError } from '../errors.js';
import path from 'node:path';
import fs from 'node:fs/promises';

/**
 * The only module that names a backend's folder (lint enforces it): a new
 * backend adds its folder and a case here, nothing else.
 */
export interface BackendFactoryOptions {
  paths: WharfPaths;
  assets: () => Promise<VmAssets>;
  /** The image directory for the current manifest, complete or not (WSL needs only its tarballs). */
  imageDir?: () => Promise<{ dir: string; hash: string } | null>;
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
}

export type HostPlatform = HostInfo['platform'];

export interface BackendProbe {
  backends: HostInfo['backends'];
  accelerators: HostInfo['accelerators'];
  virtiofsd?: string;
}

function darwinMajor(osRelease: string): number {
  return Number.parseInt(osRelease.split('.')[0] ?? '', 10) || 0;
}

function vzRow(platform: HostPlatform, osRelease: string): HostInfo['backends'][number] {
  if (platform !== 'darwin') return { name: 'vz', label: 'Virtualization.framework', available: false, reason: 'Virtualization.framework exists only on macOS.' };
  // Its Linux boot loader and virtio-fs need macOS 12 (Darwin 21).
  if (darwinMajor(osRelease) < 21) return { name: 'vz', label: 'Virtualization.framework', available: false, reason: 'Virtualization.framework needs macOS 12 or later; upgrade macOS or use the qemu backend.' };
  return { name: 'vz', label: 'Virtualization.framework', available: false, reason: 'This build of Wharf does not include the Virtualization.framework engine yet; it uses QEMU.' };
}

/** Every backend's availability on this host, with reasons; Settings and createBackend agree on it. */
export async function probeBackends(host: { platform: HostPlatform; osRelease: string }, env: NodeJS.ProcessEnv = process.env): Promise<BackendProbe> {
  const [qemu, wsl] = await Promise.all([probeQemu(host.platform, env), probeWsl(host.platform, env)]);
  return {
    backends: [qemuRow(qemu), wsl, vzRow(host.platform, host.osRelease)],
    accelerators: acceleratorRows(qemu),
    virtiofsd: qemu.virtiofsd,
  };
}

async function wslImage(opts: BackendFactoryOptions): Promise<{ rootfs: string; data: string; hash: string }> {
  const found = await opts.imageDir?.();
  const rootfs = found && path.join(found.dir, 'wsl-rootfs.tar');
  const data = found && path.join(found.dir, 'wsl-data.tar');
  if (!found || !rootfs || !data || !(await fs.stat(data).then(() => true, () => false)) || !(await fs.stat(rootfs).then(() => true, () => false))) {
    throw new UserError('The WSL 2 distro is not built. Run `npm run vm:build` (or `node --import tsx vm-assets/builder/build.ts --wsl-only`), then start again.', 'assets-missing');
  }
  return { rootfs, data, hash: found.hash };
}

/**
 * The backend the settings ask for. One this host cannot run comes back as an
 * UnavailableBackend carrying the reason, so the core still starts and the
 * user can switch.
 */
export function createBackend(name: BackendName, opts: BackendFactoryOptions): VmBackend {
  const platform = opts.platform ?? process.platform;
  const host: HostPlatform = platform === 'darwin' || platform === 'win32' ? platform : 'linux';
  switch (name) {
    case 'qemu':
      return new QemuBackend({ paths: qemuPaths(opts.paths), assets: opts.assets, platform });
    case 'wsl': {
      const exe = wslExecutable(platform, opts.env ?? process.env);
      if (!exe) return new UnavailableBackend('wsl', 'WSL 2 exists only on Windows. Set backend=qemu.');
      return new WslBackend({ paths: wslPaths(opts.paths), exe, env: opts.env, image: () => wslImage(opts) });
    }
    case 'vz':
      return new UnavailableBackend('vz', `${vzRow(host, os.release()).reason} Set backend=qemu.`);
  }
}

/**
 * Where a backend keeps CPU and memory limits that are the host's rather than
 * its own (WSL 2: %UserProfile%\\.wslconfig, for every distro), or undefined
 * when its limits are its own (QEMU: per VM) or this host has no such file.
 */
export function hostWideResources(name: BackendName, opts: { platform?: NodeJS.Platform; env?: NodeJS.ProcessEnv } = {}): HostWideResourcesControl | undefined {
  if (name !== 'wsl') return undefined;
  const file = wslConfigPath(opts.platform ?? process.platform, opts.env ?? process.env);
  return file ? new WslConfigFile(file) : undefined;
}
