import { isDeepStrictEqual } from 'node:util';
import type { Settings, SettingsKey, SettingsPatch } from '../contract/settings-schema.js';
import type { ApplyPlan } from '../contract/types.js';
import type { Refusal } from './validate.js';

/** Changing any of these needs the VM rebooted (QEMU/vz fix them at launch). */
export const VM_RESTART_KEYS: readonly SettingsKey[] = ['cpus', 'memory', 'swap', 'disk', 'accelerator', 'backend', 'fileShares', 'fileSharing'];
/** dockerd reads daemon.json only at start, so this needs just the engine restarted. */
export const ENGINE_RESTART_KEYS: readonly SettingsKey[] = ['daemonJson'];

/**
 * What applying `patch` on top of `current` would restart. `restartsEngine`
 * means "an engine-only restart is enough"; it is false when the VM restarts,
 * since rebooting the VM restarts the engine anyway. switchContext and
 * startAtLogin change without restarting anything.
 */
export function planChange(current: Settings, patch: SettingsPatch, refused: readonly Refusal[] = []): ApplyPlan {
  const changed: string[] = [];
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined || key === 'version') continue;
    if (!isDeepStrictEqual(value, current[key as SettingsKey])) changed.push(key);
  }
  const restartsVm = changed.some((k) => (VM_RESTART_KEYS as readonly string[]).includes(k));
  const restartsEngine = !restartsVm && changed.some((k) => (ENGINE_RESTART_KEYS as readonly string[]).includes(k));
  return { changed, restartsVm, restartsEngine, refused: refused.map((r) => ({ key: r.key, reason: r.reason })) };
}

/** The patch that turns `from` into `to` (every key that differs). */
export function diffSettings(from: Settings, to: Settings): SettingsPatch {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(to) as Array<keyof Settings>) {
    if (key !== 'version' && !isDeepStrictEqual(from[key], to[key])) out[key] = to[key];
  }
  return out as SettingsPatch;
}
