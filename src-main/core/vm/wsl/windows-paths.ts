import type { MapResult } from '../../proxy/bind-paths.js';

/**
 * A Windows path as WSL's automount shows it: C:\src and c:/src -> /mnt/c/src,
 * \\?\C:\src too. UNC paths, relative paths and drives WSL did not mount are
 * refused with the reason (Docker Desktop refuses them as well).
 */
/** The WSL backend's bind-path mapping: paths inside the distro are already guest paths. */
export function wslHostPath(hostPath: string, mountedDrives: ReadonlySet<string>): MapResult {
  return hostPath.startsWith('/') ? { ok: true, path: hostPath } : windowsToWsl(hostPath, mountedDrives);
}

export function windowsToWsl(hostPath: string, mountedDrives: ReadonlySet<string>): MapResult {
  let p = hostPath;
  if (p.startsWith('\\\\?\\')) p = p.slice(4);
  if (p.startsWith('\\\\') || p.startsWith('//')) {
    return { ok: false, reason: 'network (UNC) paths cannot be shared with the WSL 2 engine; copy the files to a local drive or map the share to a drive letter' };
  }
  const m = /^([A-Za-z]):([\\/].*)?$/.exec(p);
  if (!m) return { ok: false, reason: 'use an absolute path such as C:\\src (relative paths are resolved by the docker CLI only for --mount source=$(pwd)…)' };
  const drive = m[1]!.toLowerCase();
  if (!mountedDrives.has(drive)) return { ok: false, reason: `drive ${drive.toUpperCase()}: is not mounted in WSL (it has no /mnt/${drive}); check [automount] in /etc/wsl.conf or use another drive` };
  const rest = (m[2] ?? '').replace(/\\/g, '/').replace(/\/+/g, '/').replace(/\/$/, '');
  return { ok: true, path: `/mnt/${drive}${rest}` };
}
