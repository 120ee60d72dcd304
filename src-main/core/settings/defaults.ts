import { SETTINGS_VERSION, type Settings } from '../contract/settings-schema.js';
import { normalizeShare } from './file-shares.js';

/**
 * The host facts the defaults depend on. Injected (rather than read from
 * node:os here) so tests can ask "what would a 64-CPU Mac get?".
 */
export interface DefaultsHost {
  platform: 'linux' | 'darwin' | 'win32';
  cpus: number;
  memoryMiB: number;
  homedir: string;
  /** Which backends this host can run (from each backend's own probe). */
  backends?: ReadonlyArray<{ name: Settings['backend']; available: boolean }>;
}

const MiB_PER_GiB = 1024;
/** A VM bigger than this rarely helps a developer box and starves the host. */
export const DEFAULT_MEMORY_CAP_MiB = 8 * MiB_PER_GiB;
/** The smallest guest that comfortably runs dockerd plus a build; validate.ts enforces it too. */
export const MIN_MEMORY_MiB = 1024;
export const DEFAULT_SWAP_MiB = 1024;
/** The data disk is a sparse image, so a generous size costs nothing until used. */
export const DEFAULT_DISK_GiB = 64;
/** As Docker Desktop: the VM stops after 5 idle minutes with nothing running. */
export const DEFAULT_RESOURCE_SAVER_MINUTES = 5;

/** macOS paths that tools commonly bind-mount (temp dirs live under /var/folders). */
const DARWIN_EXTRA_SHARES = ['/Volumes', '/private', '/tmp', '/var/folders'];

/**
 * As in Docker Desktop: WSL 2 on Windows where it works. macOS stays on QEMU
 * until the Virtualization.framework engine exists (host-info shows it disabled).
 */
export function defaultBackend(host: DefaultsHost): Settings['backend'] {
  const works = (name: Settings['backend']) => host.backends?.some((b) => b.name === name && b.available) ?? false;
  if (host.platform === 'win32' && works('wsl')) return 'wsl';
  return 'qemu';
}

export function defaultMemoryMiB(hostMemoryMiB: number): number {
  const half = Math.floor(hostMemoryMiB / 2);
  // Round down to 256 MiB so the UI slider shows a tidy number.
  const tidy = Math.floor(half / 256) * 256;
  return Math.max(MIN_MEMORY_MiB, Math.min(DEFAULT_MEMORY_CAP_MiB, tidy));
}

/**
 * Half the host, but at least 2 where the host has them (Lima: min(4, host);
 * Rancher Desktop: 2). On a 2-CPU host that is both: measured on one under
 * software emulation, containerd and dockerd then start side by side and a later
 * start took 9.5 s instead of 10.7 s (bench/start-ab.ts, 3 rounds alternated).
 */
export function defaultCpus(hostCpus: number): number {
  return Math.max(1, Math.min(hostCpus, Math.max(2, Math.floor(hostCpus / 2))));
}

export function defaultFileShares(host: DefaultsHost): string[] {
  const home = normalizeShare(host.homedir, host.platform);
  return host.platform === 'darwin' ? [home, ...DARWIN_EXTRA_SHARES] : [home];
}

export function defaultSettings(host: DefaultsHost): Settings {
  return {
    version: SETTINGS_VERSION,
    cpus: defaultCpus(host.cpus),
    memory: defaultMemoryMiB(host.memoryMiB),
    swap: DEFAULT_SWAP_MiB,
    disk: DEFAULT_DISK_GiB,
    accelerator: 'auto',
    backend: defaultBackend(host),
    switchContext: true,
    fileShares: defaultFileShares(host),
    fileSharing: 'auto',
    syncedShares: [],
    daemonJson: {},
    startAtLogin: false,
    httpProxy: '',
    httpsProxy: '',
    noProxy: '',
    containerHttpProxy: '',
    containerHttpsProxy: '',
    containerNoProxy: '',
    resourceSaverMinutes: DEFAULT_RESOURCE_SAVER_MINUTES,
  };
}
