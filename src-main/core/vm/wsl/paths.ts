import path from 'node:path';
import type { WharfPaths } from '../../paths.js';

/** Names and places the WSL 2 backend owns. */
export interface WslPaths extends WharfPaths {
  /** Where `wsl --import` puts each distro's disk. */
  engineDir: string;
  dataDir: string;
  /** Which image the engine distro was imported from (an upgrade re-imports it). */
  engineStamp: string;
}

/** The engine distro (re-imported on upgrade) and the data distro (kept: images, volumes). */
export const ENGINE_DISTRO = 'wharf';
export const DATA_DISTRO = 'wharf-data';
/** /mnt/wsl is shared by every distro of the WSL VM; the data distro binds its /data here. */
export const DATA_MOUNT = '/mnt/wsl/wharf-data';

export function wslPaths(paths: WharfPaths): WslPaths {
  const base = path.join(paths.home, 'wsl');
  return { ...paths, engineDir: path.join(base, ENGINE_DISTRO), dataDir: path.join(base, DATA_DISTRO), engineStamp: path.join(base, 'engine-image.json') };
}
