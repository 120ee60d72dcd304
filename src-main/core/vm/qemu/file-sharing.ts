import type { FileSharingMechanism, FileSharingSetting } from '../../contract/types.js';
import { UserError } from '../../errors.js';

/**
 * How QEMU shares host folders. virtio-fs needs virtiofsd, which runs only on
 * Linux; QEMU serves 9p itself (-virtfs) on Linux and macOS hosts. QEMU for
 * Windows has neither (its 9p backend is POSIX-only), so folders are shared
 * there only by the WSL 2 engine.
 */
export interface FileSharingChoice {
  mechanism: FileSharingMechanism;
  /** Why this one, for the Settings UI and `wharf status`. */
  reason: string;
}

export function chooseFileSharing(opts: { setting: FileSharingSetting; platform: NodeJS.Platform; virtiofsd: boolean }): FileSharingChoice {
  const { setting, platform, virtiofsd } = opts;
  if (platform === 'win32') {
    return { mechanism: 'none', reason: 'QEMU on Windows can share no folders (no virtio-fs, no 9p); use the WSL 2 engine to share folders.' };
  }
  if (setting === '9p') return { mechanism: '9p', reason: 'fileSharing is set to 9p.' };
  if (setting === 'virtiofs') {
    if (platform !== 'linux') {
      throw new UserError('fileSharing=virtiofs needs virtiofsd, which runs only on Linux. Set fileSharing to auto or 9p.', 'virtiofs-unavailable');
    }
    if (!virtiofsd) {
      throw new UserError('fileSharing=virtiofs needs virtiofsd, which was not found. Install it (Debian: sudo apt-get install virtiofsd), or set fileSharing to auto or 9p.', 'virtiofsd-missing');
    }
    return { mechanism: 'virtiofs', reason: 'fileSharing is set to virtiofs.' };
  }
  if (platform === 'linux' && virtiofsd) return { mechanism: 'virtiofs', reason: 'virtiofsd was found (auto prefers virtio-fs).' };
  return {
    mechanism: '9p',
    reason: platform === 'linux' ? 'virtiofsd was not found, so QEMU serves the folders over 9p.' : 'virtiofsd runs only on Linux, so QEMU serves the folders over 9p.',
  };
}
