import type { HostInfo, Settings, SettingsKey, SyncedShareStatus } from '../../../src-main/core/contract/index.js';

/** Pure helpers for the Settings views (unit-tested without a DOM). */

export function formatMiB(mib: number): string {
  if (mib >= 1024) {
    const gib = mib / 1024;
    return `${Number.isInteger(gib) ? gib : gib.toFixed(2).replace(/0+$/, '')} GiB`;
  }
  return `${mib} MiB`;
}

export const KEY_LABELS: Record<SettingsKey, string> = {
  cpus: 'CPUs',
  memory: 'Memory',
  swap: 'Swap',
  disk: 'Disk size',
  accelerator: 'Accelerator',
  backend: 'Virtual machine backend',
  switchContext: 'Switch docker context on start',
  fileShares: 'Shared directories',
  fileSharing: 'File sharing mechanism',
  syncedShares: 'Synchronized folders',
  daemonJson: 'Docker Engine configuration (daemon.json)',
  startAtLogin: 'Start at login',
  httpProxy: 'Engine HTTP proxy',
  httpsProxy: 'Engine HTTPS proxy',
  noProxy: 'Engine proxy bypass',
  containerHttpProxy: 'Containers HTTP proxy',
  containerHttpsProxy: 'Containers HTTPS proxy',
  containerNoProxy: 'Containers proxy bypass',
  resourceSaverMinutes: 'Resource Saver',
};

export function labelForKey(key: string): string {
  return (KEY_LABELS as Record<string, string>)[key] ?? key;
}

export function formatValue(key: string, value: unknown): string {
  switch (key) {
    case 'cpus': return `${String(value)}`;
    case 'memory':
    case 'swap': return typeof value === 'number' ? (value === 0 && key === 'swap' ? 'off' : formatMiB(value)) : String(value);
    case 'disk': return `${String(value)} GiB`;
    case 'switchContext':
    case 'startAtLogin': return value ? 'on' : 'off';
    case 'resourceSaverMinutes': return value === 0 ? 'off' : `after ${String(value)} min`;
    case 'fileShares': return Array.isArray(value) ? `${value.length} ${value.length === 1 ? 'directory' : 'directories'}` : String(value);
    case 'syncedShares': return Array.isArray(value) ? `${value.length} ${value.length === 1 ? 'folder' : 'folders'}` : String(value);
    case 'daemonJson': return value && typeof value === 'object' ? `${Object.keys(value).length} ${Object.keys(value).length === 1 ? 'option' : 'options'}` : String(value);
    default: return String(value);
  }
}

/** "CPUs: 2 → 4" lines for the confirmation dialog. */
export function describeChange(key: string, from: unknown, to: unknown): string {
  return `${labelForKey(key)}: ${formatValue(key, from)} → ${formatValue(key, to)}`;
}

export interface ResourceBounds {
  cpus: { min: number; max: number; step: number };
  memory: { min: number; max: number; step: number };
  swap: { min: number; max: number; step: number };
  disk: { min: number; max: number; step: number };
}

export const MIN_MEMORY_MiB = 1024;
export const MEMORY_STEP_MiB = 256;
export const MAX_DISK_GiB = 64 * 1024;

/** Slider ranges from the host's size and the saved settings (the disk only grows). */
export function resourceBounds(host: HostInfo, saved: Settings): ResourceBounds {
  const memMax = Math.max(MIN_MEMORY_MiB, host.memoryMiB);
  const swapMax = Math.max(MEMORY_STEP_MiB, Math.floor(Math.min(host.memoryMiB, 16 * 1024) / MEMORY_STEP_MiB) * MEMORY_STEP_MiB);
  const diskMin = saved.disk;
  const diskMax = Math.min(MAX_DISK_GiB, Math.max(1024, saved.disk * 2));
  return {
    cpus: { min: 1, max: Math.max(1, host.cpus), step: 1 },
    memory: { min: MIN_MEMORY_MiB, max: memMax, step: MEMORY_STEP_MiB },
    swap: { min: 0, max: Math.max(swapMax, saved.swap), step: MEMORY_STEP_MiB },
    disk: { min: diskMin, max: Math.max(diskMax, diskMin), step: 1 },
  };
}

export type ResourceKey = 'cpus' | 'memory' | 'swap' | 'disk';

/** Errors the user can fix before asking the core; the core checks again. */
export function resourceErrors(draft: Settings, host: HostInfo, saved: Settings): Partial<Record<ResourceKey, string>> {
  const b = resourceBounds(host, saved);
  const errors: Partial<Record<ResourceKey, string>> = {};
  const whole = (k: ResourceKey) => Number.isInteger(draft[k]);
  if (!whole('cpus')) errors.cpus = 'Enter a whole number of CPUs.';
  else if (draft.cpus < 1) errors.cpus = 'The VM needs at least 1 CPU.';
  else if (draft.cpus > b.cpus.max) errors.cpus = `This host has ${host.cpus} CPUs; the VM can use at most ${b.cpus.max}.`;
  if (!whole('memory')) errors.memory = 'Enter the memory in whole MiB.';
  else if (draft.memory < b.memory.min) errors.memory = `The VM needs at least ${formatMiB(b.memory.min)} to run the engine.`;
  else if (draft.memory > b.memory.max) errors.memory = `This host has ${formatMiB(host.memoryMiB)} of memory; the VM cannot have more.`;
  if (!whole('swap')) errors.swap = 'Enter the swap in whole MiB.';
  else if (draft.swap < 0) errors.swap = 'Swap cannot be negative; 0 turns it off.';
  else if (draft.swap > b.swap.max) errors.swap = `At most ${formatMiB(b.swap.max)} of swap.`;
  if (!whole('disk')) errors.disk = 'Enter the disk size in whole GiB.';
  else if (draft.disk < saved.disk) errors.disk = `The disk only grows: it is ${saved.disk} GiB now, and shrinking it would destroy the data on it. To start smaller, use Reset to factory defaults in Troubleshoot.`;
  else if (draft.disk > b.disk.max) errors.disk = `At most ${b.disk.max} GiB.`;
  return errors;
}

function isAbsoluteHostPath(p: string, platform: HostInfo['platform']): boolean {
  return platform === 'win32' ? /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\') : p.startsWith('/');
}

/** Why a host directory cannot be added, checked locally; undefined when it may be. */
export function fileShareProblem(path: string, existing: readonly string[], platform: HostInfo['platform']): string | undefined {
  const p = path.trim();
  if (p === '') return 'Enter the path of a host directory.';
  const absolute = isAbsoluteHostPath(p, platform);
  if (!absolute) return platform === 'win32' ? 'Use an absolute path, like C:\\Users\\you\\src.' : 'Use an absolute path, like /home/you/src.';
  for (const e of existing) {
    if (comparablePath(e, platform) === comparablePath(p, platform)) return `${e} is already shared.`;
    if (pathWithin(p, e, platform)) return `${p} is inside ${e}, which is already shared; shares may not overlap.`;
    if (pathWithin(e, p, platform)) return `${e} is already shared and is inside ${p}; shares may not overlap. Remove ${e} first.`;
  }
  return undefined;
}

/** "1\n2\n3" for a textarea's line-number gutter. */
export function lineNumbers(text: string): string {
  const count = text.split('\n').length;
  return Array.from({ length: count }, (_, i) => String(i + 1)).join('\n');
}

// --- synchronized folders ------------------------------------------------

type Platform = HostInfo['platform'];

/**
 * A host path as the core compares it (settings/file-shares.ts): separators
 * unified on Windows, `.`/`..` and repeated separators resolved, no trailing
 * separator (except a root), case folded where the file system ignores case.
 */
export function comparablePath(p: string, platform: Platform): string {
  const win = platform === 'win32';
  const sep = win ? '\\' : '/';
  let s = win ? p.trim().replace(/\//g, '\\') : p.trim();
  let root = '';
  if (win) {
    const drive = /^[A-Za-z]:\\/.exec(s);
    const unc = /^\\\\[^\\]+\\[^\\]+\\?/.exec(s);
    root = drive ? drive[0] : unc ? unc[0].replace(/\\?$/, '\\') : '';
  } else if (s.startsWith('/')) {
    root = '/';
  }
  s = s.slice(root.length);
  const parts: string[] = [];
  for (const part of s.split(sep)) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  const out = root + parts.join(sep);
  return platform === 'linux' ? out : out.toLowerCase();
}

/** True when `inner` is `outer` or lies under it (both as the user wrote them). */
export function pathWithin(inner: string, outer: string, platform: Platform): boolean {
  const a = comparablePath(inner, platform);
  const b = comparablePath(outer, platform);
  if (a === b) return true;
  const sep = platform === 'win32' ? '\\' : '/';
  return a.startsWith(b.endsWith(sep) ? b : b + sep);
}

/**
 * Why `candidate` cannot become a synchronized folder, checked locally; undefined
 * when it may (the core checks again, and also that it exists and is a folder).
 */
export function syncedShareProblem(candidate: string, synced: readonly string[], fileShares: readonly string[], platform: Platform): string | undefined {
  const p = candidate.trim();
  const example = platform === 'win32' ? 'C:\\Users\\you\\src\\app' : '/home/you/src/app';
  if (p === '') return `Enter the path of a folder inside a shared directory, like ${example}.`;
  const absolute = isAbsoluteHostPath(p, platform);
  if (!absolute) return `Use an absolute path, like ${example}.`;
  if (fileShares.length === 0) {
    return 'Nothing is shared, and the VM reaches a synchronized folder through file sharing: add a shared directory that contains this folder first.';
  }
  if (!fileShares.some((s) => pathWithin(p, s, platform))) {
    return `${p} is not inside a shared directory (${fileShares.join(', ')}). The VM reaches a synchronized folder through file sharing: pick a folder inside one of them, or add a shared directory that contains it first.`;
  }
  for (const e of synced) {
    if (comparablePath(e, platform) === comparablePath(p, platform)) return `${e} is already synchronized.`;
    if (pathWithin(p, e, platform)) return `${p} is inside ${e}, which is already synchronized (everything under it is synced too).`;
    if (pathWithin(e, p, platform)) return `${e} is already synchronized and is inside ${p}; synchronized folders may not nest. To sync all of ${p}, stop syncing ${e} first.`;
  }
  return undefined;
}

/** Synchronized folders no shared directory contains (say, after removing a shared directory). */
export function syncedOutsideShares(synced: readonly string[], fileShares: readonly string[], platform: Platform): string[] {
  return synced.filter((p) => !fileShares.some((s) => pathWithin(p, s, platform)));
}

/** The engine's status entry for a synchronized folder, matched by path. */
export function findSyncStatus(path: string, statuses: readonly SyncedShareStatus[] | undefined, platform: Platform): SyncedShareStatus | undefined {
  const want = comparablePath(path, platform);
  return statuses?.find((s) => comparablePath(s.path, platform) === want);
}

/** "0.8 s", "60.5 s", "4 min 12 s". */
export function formatSeconds(seconds: number): string {
  if (seconds < 120) return `${Number(seconds.toFixed(1))} s`;
  const whole = Math.round(seconds);
  const s = whole % 60;
  return `${Math.floor(whole / 60)} min${s ? ` ${s} s` : ''}`;
}

export interface SyncStateView {
  /** 'pending': not in the VM yet; 'busy': the first copy is under way. */
  tone: 'ok' | 'busy' | 'waiting' | 'error' | 'pending';
  text: string;
  /** A second line: what it means for containers, or the last sync's failure. */
  note?: string;
}

/**
 * What the synchronized-folders table says about one folder: `status` is the
 * engine's entry for it (undefined when the running VM does not sync it, or no
 * VM runs).
 */
export function describeSyncState(status: SyncedShareStatus | undefined, vmRunning = true): SyncStateView {
  if (!status) return { tone: 'pending', text: vmRunning ? 'Applies after restart' : 'Applies when the VM starts' };
  switch (status.state) {
    case 'waiting': return { tone: 'waiting', text: 'Waiting for the VM' };
    case 'copying': return { tone: 'busy', text: 'Copying into the VM…', note: 'Containers that mount it wait until the first copy is done.' };
    case 'error': return { tone: 'error', text: `Sync failed: ${status.reason?.trim() || 'unison stopped'}` };
    case 'ready': {
      const facts = [
        status.files !== undefined ? `${status.files.toLocaleString('en-US')} ${status.files === 1 ? 'file' : 'files'}` : undefined,
        status.seconds !== undefined ? `first sync ${formatSeconds(status.seconds)}` : undefined,
      ].filter(Boolean);
      const reason = status.reason?.trim();
      return {
        tone: 'ok',
        text: facts.length ? `Ready — ${facts.join(', ')}` : 'Ready',
        ...(reason ? { note: reason.charAt(0).toUpperCase() + reason.slice(1) } : {}),
      };
    }
  }
}
