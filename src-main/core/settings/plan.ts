import { isDeepStrictEqual } from 'node:util';
import type { Settings, SettingsKey, SettingsPatch } from '../contract/settings-schema.js';
import type { ApplyPlan } from '../contract/types.js';
import type { Refusal } from './validate.js';

/**
 * Which keys restart the guest depends on the backend (VmBackend.restartKeys);
 * changing the backend itself always does. Until a backend says otherwise, assume
 * every resource key does.
 */
export const DEFAULT_VM_RESTART_KEYS: readonly SettingsKey[] = ['cpus', 'memory', 'swap', 'disk', 'accelerator', 'fileShares', 'fileSharing', 'syncedShares'];
/** dockerd reads daemon.json and its proxy environment only at start, so these need just the engine restarted. */
export const ENGINE_RESTART_KEYS: readonly SettingsKey[] = ['daemonJson', 'httpProxy', 'httpsProxy', 'noProxy'];

/**
 * What applying `patch` on top of `current` would restart. `restartsEngine`
 * means "an engine-only restart is enough"; it is false when the VM restarts,
 * since rebooting the VM restarts the engine anyway. switchContext,
 * startAtLogin, the container proxies (the docker CLI reads config.json on
 * every run) and resourceSaverMinutes change without restarting anything.
 */
export function planChange(current: Settings, patch: SettingsPatch, refused: readonly Refusal[] = [], vmRestartKeys: readonly SettingsKey[] = DEFAULT_VM_RESTART_KEYS): ApplyPlan {
  const changed: string[] = [];
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined || key === 'version') continue;
    if (!isDeepStrictEqual(value, current[key as SettingsKey])) changed.push(key);
  }
  const restartsVm = changed.some((k) => k === 'backend' || (vmRestartKeys as readonly string[]).includes(k));
  const restartsEngine = !restartsVm && changed.some((k) => (ENGINE_RESTART_KEYS as readonly string[]).includes(k));
  const plan: ApplyPlan = { changed, restartsVm, restartsEngine, refused: refused.map((r) => ({ key: r.key, reason: r.reason })) };
  if (changed.includes('backend') && patch.backend) plan.warnings = [switchWarning(current.backend, patch.backend)];
  return plan;
}

const BACKEND_LABELS: Record<Settings['backend'], string> = { qemu: 'QEMU', wsl: 'WSL 2', vz: 'Virtualization.framework' };

/** Said before a switch happens: each backend keeps its own data, nothing is migrated. */
export function switchWarning(from: Settings['backend'], to: Settings['backend']): string {
  return `Switching from ${BACKEND_LABELS[from]} to ${BACKEND_LABELS[to]} stops the ${BACKEND_LABELS[from]} engine. Containers, images and volumes are not migrated: ${BACKEND_LABELS[to]} starts with its own data, and switching back to ${BACKEND_LABELS[from]} finds its data again.`;
}

/** The patch that turns `from` into `to` (every key that differs). */
export function diffSettings(from: Settings, to: Settings): SettingsPatch {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(to) as Array<keyof Settings>) {
    if (key !== 'version' && !isDeepStrictEqual(from[key], to[key])) out[key] = to[key];
  }
  return out as SettingsPatch;
}
