import { isDeepStrictEqual } from 'node:util';
import {
  acceleratorSetting, backendSetting, fileSharingSetting, settingsPatchSchema, settingsSchema,
  type Settings, type SettingsKey, type SettingsPatch,
} from '../contract/settings-schema.js';
import type { HostInfo } from '../contract/types.js';
import { UserError } from '../errors.js';
import { checkDaemonConfig } from './daemon-json.js';
import { MIN_MEMORY_MiB } from './defaults.js';
import { checkFileShares, normalizeShare } from './file-shares.js';
import { checkSyncedShares } from './synced-shares.js';
import { checkNoProxy, checkProxyUrl, normalizeProxyValue } from './proxy-values.js';

/**
 * THE validation path for a settings change. The CLI (`wharf set`), the
 * Settings UI and the dashboard all reach settings.set/plan, which call
 * validatePatch; nothing else decides whether a value is acceptable. Every
 * message names the key, says what is wrong, what was given and what to do.
 */

export interface Refusal {
  key: string;
  reason: string;
}

export interface ValidationContext {
  host: HostInfo;
  /** The saved settings the patch applies to. */
  current: Settings;
  /**
   * Size of the data disk that exists, in GiB; undefined before the first
   * start. Only a disk that exists holds data, so only it cannot shrink.
   */
  existingDiskGiB?: number;
}

export type ValidationResult =
  | { ok: true; patch: SettingsPatch; next: Settings; refused: [] }
  | { ok: false; refused: Refusal[] };

export const SETTINGS_KEYS: readonly SettingsKey[] = [
  'cpus', 'memory', 'swap', 'disk', 'accelerator', 'backend', 'switchContext', 'fileShares', 'fileSharing', 'syncedShares', 'daemonJson', 'startAtLogin',
  'httpProxy', 'httpsProxy', 'noProxy', 'containerHttpProxy', 'containerHttpsProxy', 'containerNoProxy', 'resourceSaverMinutes',
];

/** Resource Saver waits at most a day; longer is "off" (0). */
export const MAX_RESOURCE_SAVER_MINUTES = 24 * 60;

/** Swap beyond this is a typo, not a plan (the schema allows more for files from big machines). */
export const MAX_SWAP_MiB = 64 * 1024;
/** The schema's ceiling on the data disk (64 TiB). */
const MAX_DISK_GiB = 64 * 1024;

/**
 * Memory kept for the host: the OS, the app and QEMU's own overhead. A
 * quarter of the host, between 1 GiB and 4 GiB.
 */
export function memoryHeadroomMiB(hostMemoryMiB: number): number {
  return Math.min(4096, Math.max(1024, Math.floor(hostMemoryMiB / 4)));
}

export function maxMemoryMiB(host: Pick<HostInfo, 'memoryMiB'>): number {
  return Math.max(MIN_MEMORY_MiB, host.memoryMiB - memoryHeadroomMiB(host.memoryMiB));
}

function show(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : Array.isArray(v) || (typeof v === 'object' && v !== null) ? JSON.stringify(v) : String(v);
}

function isWhole(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

function checkCpus(v: unknown, ctx: ValidationContext): string | undefined {
  const max = ctx.host.cpus;
  if (!isWhole(v) || v < 1 || v > max) {
    return `cpus must be a whole number between 1 and ${max} (this host has ${max} CPU${max === 1 ? '' : 's'}); got ${show(v)}.`;
  }
  return undefined;
}

function checkMemory(v: unknown, ctx: ValidationContext): string | undefined {
  const max = maxMemoryMiB(ctx.host);
  if (!isWhole(v) || v < MIN_MEMORY_MiB || v > max) {
    return `memory must be between ${MIN_MEMORY_MiB} and ${max} MiB (this host has ${ctx.host.memoryMiB} MiB and keeps ${memoryHeadroomMiB(ctx.host.memoryMiB)} MiB for itself); got ${show(v)}${isWhole(v) ? ' MiB' : ''}. Example: memory=4GiB.`;
  }
  return undefined;
}

function checkSwap(v: unknown): string | undefined {
  if (!isWhole(v) || v < 0 || v > MAX_SWAP_MiB) {
    return `swap must be between 0 (off) and ${MAX_SWAP_MiB} MiB; got ${show(v)}.`;
  }
  return undefined;
}

function checkDisk(v: unknown, ctx: ValidationContext): string | undefined {
  const cur = ctx.existingDiskGiB;
  if (!isWhole(v)) return `disk must be a whole number of GiB; got ${show(v)}.`;
  if (cur !== undefined && v < cur) {
    return `disk cannot shrink: it is ${cur} GiB now and got ${v} GiB. The data disk only grows; to start smaller, use a factory reset (this deletes all containers, images and volumes).`;
  }
  if (v > MAX_DISK_GiB) return `disk must be at most ${MAX_DISK_GiB} GiB; got ${v}.`;
  return undefined;
}

function checkChoice(
  key: 'accelerator' | 'backend',
  v: unknown,
  rows: ReadonlyArray<{ name: string; available: boolean; reason?: string }>,
  allowed: readonly string[],
): string | undefined {
  if (typeof v !== 'string' || !allowed.includes(v)) {
    return `${key} must be one of ${allowed.join(', ')}; got ${show(v)}.`;
  }
  const row = rows.find((r) => r.name === v);
  if (row && !row.available) {
    const fallback = key === 'accelerator' ? ' Use accelerator=auto to pick the fastest that works.' : '';
    return `${key} ${v} is not available on this host: ${row.reason ?? 'not supported here'}${fallback}`;
  }
  return undefined;
}

/** virtio-fs needs virtiofsd, a Linux program: refuse it up front elsewhere rather than at the next start. */
function checkFileSharing(v: unknown, platform: string): string | undefined {
  if (typeof v !== 'string' || !(fileSharingSetting.options as readonly string[]).includes(v)) {
    return `fileSharing must be one of ${fileSharingSetting.options.join(', ')}; got ${show(v)}.`;
  }
  if (v === 'virtiofs' && platform !== 'linux') return 'fileSharing virtiofs needs virtiofsd, which runs only on Linux; use fileSharing=auto (9p on this host).';
  return undefined;
}

function checkResourceSaver(v: unknown): string | undefined {
  if (!isWhole(v) || v < 0 || v > MAX_RESOURCE_SAVER_MINUTES) {
    return `resourceSaverMinutes must be a whole number of minutes between 1 and ${MAX_RESOURCE_SAVER_MINUTES}, or 0 to turn Resource Saver off; got ${show(v)}.`;
  }
  return undefined;
}

function checkBoolean(key: string, v: unknown): string | undefined {
  return typeof v === 'boolean' ? undefined : `${key} must be true or false; got ${show(v)}.`;
}

export function unknownKeyMessage(key: string): string {
  return `"${key}" is not a setting; valid settings are: ${SETTINGS_KEYS.join(', ')}.`;
}

/**
 * Checks a patch against the host and the current settings. Keys whose value
 * equals the saved one are only type-checked: they were checked when saved,
 * and re-refusing them (say, a share deleted since) would block unrelated
 * changes from a UI that sends the whole form.
 */
export async function validatePatch(input: unknown, ctx: ValidationContext): Promise<ValidationResult> {
  const refused: Refusal[] = [];
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, refused: [{ key: '', reason: 'a settings change must be an object of key/value pairs.' }] };
  }
  const raw = input as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const platform = ctx.host.platform;

  for (const [key, value] of Object.entries(raw)) {
    // An absent value (e.g. a form field left out) is "no change", not an error.
    if (value === undefined) continue;
    if (!(SETTINGS_KEYS as readonly string[]).includes(key)) {
      refused.push({ key, reason: unknownKeyMessage(key) });
      continue;
    }
    const k = key as SettingsKey;
    const unchanged = isDeepStrictEqual(value, ctx.current[k]);
    let reason: string | undefined;
    let normalized: unknown = value;
    switch (k) {
      case 'cpus': reason = unchanged ? undefined : checkCpus(value, ctx); break;
      case 'memory': reason = unchanged ? undefined : checkMemory(value, ctx); break;
      case 'swap': reason = checkSwap(value); break;
      case 'disk': reason = checkDisk(value, ctx); break;
      case 'accelerator': reason = checkChoice(k, value, unchanged ? [] : ctx.host.accelerators, acceleratorSetting.options); break;
      case 'backend': reason = checkChoice(k, value, unchanged ? [] : ctx.host.backends, backendSetting.options); break;
      case 'switchContext':
      case 'startAtLogin': reason = checkBoolean(k, value); break;
      case 'fileSharing': reason = checkFileSharing(value, platform); break;
      case 'fileShares': {
        if (!Array.isArray(value) || !value.every((s) => typeof s === 'string')) {
          reason = `fileShares must be a list of folder paths; got ${show(value)}.`;
          break;
        }
        if (!unchanged) {
          const errors = await checkFileShares(value, platform);
          if (errors.length) {
            for (const e of errors) refused.push({ key: k, reason: e });
            continue;
          }
        }
        normalized = value.map((s: string) => normalizeShare(s, platform));
        break;
      }
      case 'syncedShares': {
        if (!Array.isArray(value) || !value.every((s) => typeof s === 'string')) {
          reason = `syncedShares must be a list of folder paths; got ${show(value)}.`;
          break;
        }
        // Checked against the shares this patch leaves in place (it may change both).
        const shares = Array.isArray(raw.fileShares) && raw.fileShares.every((s) => typeof s === 'string') ? raw.fileShares as string[] : ctx.current.fileShares;
        if (!unchanged || !isDeepStrictEqual(shares, ctx.current.fileShares)) {
          const errors = await checkSyncedShares(value, shares, platform);
          if (errors.length) {
            for (const e of errors) refused.push({ key: k, reason: e });
            continue;
          }
        }
        normalized = value.map((s: string) => normalizeShare(s, platform));
        break;
      }
      case 'httpProxy':
      case 'httpsProxy':
      case 'containerHttpProxy':
      case 'containerHttpsProxy':
        reason = checkProxyUrl(k, value);
        if (!reason) normalized = normalizeProxyValue(k, value as string);
        break;
      case 'noProxy':
      case 'containerNoProxy':
        reason = checkNoProxy(k, value);
        if (!reason) normalized = normalizeProxyValue(k, value as string);
        break;
      case 'resourceSaverMinutes': reason = checkResourceSaver(value); break;
      case 'daemonJson': {
        const errors = checkDaemonConfig(value).map((e) => `daemonJson: ${e}`);
        for (const e of errors) refused.push({ key: k, reason: e });
        if (errors.length) continue;
        break;
      }
    }
    if (reason) refused.push({ key: k, reason });
    else out[k] = normalized;
  }

  // Shares changed alone: the saved synced folders must still lie inside them.
  if (!('syncedShares' in raw) && Array.isArray(out.fileShares) && ctx.current.syncedShares.length) {
    const shares = out.fileShares as string[];
    for (const folder of ctx.current.syncedShares) {
      if (!(await checkSyncedShares([folder], shares, platform)).some((e) => /not inside a shared folder/.test(e))) continue;
      refused.push({ key: 'fileShares', reason: `fileShares: the synchronized folder "${folder}" would no longer be inside a shared folder; stop syncing it first (syncedShares), or keep a shared folder that contains it.` });
    }
  }

  if (refused.length) return { ok: false, refused };

  // Safety net: the contract's schemas must agree with what passed above.
  const patch = settingsPatchSchema.safeParse(out);
  const next = patch.success ? settingsSchema.safeParse({ ...ctx.current, ...patch.data }) : undefined;
  if (!patch.success || !next?.success) {
    const issues = (!patch.success ? patch.error : next!.error!).issues;
    return { ok: false, refused: issues.map((i) => ({ key: String(i.path[0] ?? ''), reason: `${i.path.map(String).join('.')}: ${i.message}` })) };
  }
  return { ok: true, patch: patch.data, next: next.data, refused: [] };
}

export function refusalMessage(refused: readonly Refusal[]): string {
  return refused.map((r) => r.reason).join('\n');
}

/** validatePatch, throwing a UserError (shown as is by every transport) when refused. */
export async function validatePatchOrThrow(input: unknown, ctx: ValidationContext): Promise<{ patch: SettingsPatch; next: Settings }> {
  const result = await validatePatch(input, ctx);
  if (!result.ok) throw new UserError(refusalMessage(result.refused), 'invalid-settings');
  return { patch: result.patch, next: result.next };
}

/**
 * Saved values this host cannot honour, e.g. a settings file copied from a
 * bigger machine (the schema accepts it; see settings-schema.ts). For the
 * notices in `wharf status` and the UI; nothing is changed automatically, so
 * moving back to the bigger machine keeps the user's choice.
 */
export function hostFitNotices(settings: Settings, host: HostInfo): string[] {
  const out: string[] = [];
  if (settings.cpus > host.cpus) {
    out.push(`Settings ask for ${settings.cpus} CPUs but this host has ${host.cpus}; set cpus=${host.cpus} (wharf set cpus=${host.cpus}) or fewer.`);
  }
  const max = maxMemoryMiB(host);
  if (settings.memory > max) {
    out.push(`Settings ask for ${settings.memory} MiB of memory but this host allows at most ${max} MiB; set memory=${max} or less.`);
  }
  const backend = host.backends.find((b) => b.name === settings.backend);
  if (backend && !backend.available) out.push(`The ${settings.backend} backend is not available on this host: ${backend.reason ?? 'not supported here'}`);
  return out;
}
