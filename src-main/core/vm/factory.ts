import type { BackendName } from '../contract/types.js';
import type { VmBackend } from './backend.js';
import type { VmAssets } from './assets.js';
import type { WharfPaths } from '../paths.js';
import { QemuBackend } from './qemu/lifecycle.js';
import { UserError } from '../errors.js';

export interface BackendFactoryOptions {
  paths: WharfPaths;
  assets: () => Promise<VmAssets>;
  platform?: NodeJS.Platform;
}

/**
 * Picks the backend the settings ask for, refusing one this host cannot run
 * with the reason (the Settings UI shows the same reasons from host-info).
 */
export function createBackend(name: BackendName, opts: BackendFactoryOptions): VmBackend {
  const platform = opts.platform ?? process.platform;
  switch (name) {
    case 'qemu':
      return new QemuBackend({ paths: opts.paths, assets: opts.assets, platform });
    case 'wsl':
      if (platform !== 'win32') throw new UserError('The WSL 2 backend runs only on Windows. Set backend=qemu.', 'backend-unavailable');
      throw new UserError('The WSL 2 backend is not implemented in this build yet. Set backend=qemu.', 'backend-unavailable');
    case 'vz':
      if (platform !== 'darwin') throw new UserError('The Virtualization framework backend runs only on macOS. Set backend=qemu.', 'backend-unavailable');
      throw new UserError('The Virtualization framework backend is not implemented in this build yet. Set backend=qemu.', 'backend-unavailable');
  }
}
