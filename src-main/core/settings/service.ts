import type { Contract } from '../contract/services.js';
import type { ServiceImpl } from '../contract/define.js';
import type { Settings, SettingsKey, SettingsPatch } from '../contract/settings-schema.js';
import type { ApplyPlan, EngineStatus, HostInfo } from '../contract/types.js';
import type { HostWideResourcesControl } from '../vm/backend.js';
import { UserError } from '../errors.js';
import { validateDaemonJsonText } from './daemon-json.js';
import { diffSettings, planChange } from './plan.js';
import type { SettingsStore } from './store.js';
import { hostFitNotices, validatePatch, validatePatchOrThrow } from './validate.js';

export interface SettingsServiceDeps {
  store: SettingsStore;
  /** This host's facts (see host-info.ts); a function is re-read on every check. */
  host: HostInfo | (() => Promise<HostInfo>);
  /**
   * Restarts what `plan` says (VM, or engine only) with `settings`, and
   * returns the resulting status. Called by settings.apply; owned by whoever
   * wires the VM and engine together.
   */
  onApply: (plan: ApplyPlan, settings: Settings) => Promise<EngineStatus>;
  /** Told after every successful save, e.g. to emit invalidate{topic:'settings'}. */
  onChanged?: (settings: Settings) => void;
  /** Size of the data disk on disk (GiB), undefined when none exists yet. */
  existingDiskGiB?: () => Promise<number | undefined>;
  /** The running backend's keys that need its guest restarted (VmBackend.restartKeys). */
  vmRestartKeys?: () => readonly SettingsKey[];
  /** The host-wide CPU/memory file of the backend these settings name, if it has one. */
  hostWide?: (settings: Settings) => HostWideResourcesControl | undefined;
}

export interface SettingsService extends ServiceImpl<Contract['settings']> {
  /** What apply would restart now: saved settings vs. what the VM runs with. */
  pendingPlan(): ApplyPlan;
  /** Tell the service the VM now runs with `settings` (call after a VM start). */
  markApplied(settings?: Settings): void;
  /** Store notices (e.g. a recovered corrupt settings file). */
  notices(): string[];
  /** Saved values this host cannot honour (settings copied from a bigger machine). */
  hostNotices(): Promise<string[]>;
}

/**
 * The settings service behind every transport. `set` validates (validate.ts,
 * the only rule book), persists, and reports what a later `apply` would
 * restart; it never restarts anything itself. Plans are relative to the
 * settings the VM last started with, so two `set`s before one `apply`
 * accumulate into one restart.
 */
export function createSettingsService(deps: SettingsServiceDeps): SettingsService {
  const { store } = deps;
  const host = async (): Promise<HostInfo> => (typeof deps.host === 'function' ? deps.host() : deps.host);
  // Assume the VM (if it starts) starts with what is saved now; the VM
  // owner corrects this with markApplied when it actually boots.
  let applied: Settings = store.get();

  const plan = (patch: SettingsPatch, refused: Parameters<typeof planChange>[2] = []) => planChange(applied, patch, refused, deps.vmRestartKeys?.());
  const pendingPlan = (): ApplyPlan => plan(diffSettings(applied, store.get()));

  return {
    async get() {
      return store.get();
    },

    async defaults() {
      return store.defaults();
    },

    async set(patch: SettingsPatch) {
      const info = await host();
      const saved = await store.update(async (current) => (await validatePatchOrThrow(patch, { host: info, current, existingDiskGiB: await deps.existingDiskGiB?.() })).next);
      deps.onChanged?.(saved);
      return { settings: saved, plan: pendingPlan() };
    },

    async plan(patch: SettingsPatch) {
      const current = store.get();
      const result = await validatePatch(patch, { host: await host(), current, existingDiskGiB: await deps.existingDiskGiB?.() });
      if (result.ok) return plan(diffSettings(applied, result.next));
      // Show what the acceptable part would restart, plus why the rest is refused.
      const refusedKeys = new Set(result.refused.map((r) => r.key));
      const acceptable = Object.fromEntries(Object.entries(patch).filter(([k]) => !refusedKeys.has(k)));
      return plan(diffSettings(applied, { ...current, ...acceptable }), result.refused);
    },

    async apply() {
      const settings = store.get();
      const status = await deps.onApply(pendingPlan(), settings);
      applied = settings;
      return status;
    },

    async hostWideResources() {
      return (await deps.hostWide?.(store.get())?.read()) ?? null;
    },

    /**
     * Validated like `set` (the same rule book, the same messages), written to
     * the backend's host-wide file, then saved: if the file cannot be written,
     * the settings stay as they were.
     */
    async writeHostWideResources({ cpus, memory, swap, consent }) {
      const control = deps.hostWide?.(store.get());
      if (!control) {
        throw new UserError(`The ${store.get().backend} backend keeps CPUs and memory per VM, not in a host-wide file: use \`wharf set cpus=… memory=…\` and restart.`, 'no-host-wide-resources');
      }
      const info = await host();
      let written: Awaited<ReturnType<HostWideResourcesControl['write']>> | undefined;
      const saved = await store.update(async (current) => {
        const { next } = await validatePatchOrThrow({ cpus, memory, swap }, { host: info, current, existingDiskGiB: await deps.existingDiskGiB?.() });
        written = await control.write({ cpus: next.cpus, memoryMiB: next.memory, swapMiB: next.swap }, { consent });
        return next;
      });
      deps.onChanged?.(saved);
      return { ...written!, settings: saved };
    },

    async validateDaemonJson(text: string) {
      const { ok, errors } = validateDaemonJsonText(text);
      return { ok, errors };
    },

    pendingPlan,

    markApplied(settings?: Settings) {
      applied = structuredClone(settings ?? store.get());
    },

    notices() {
      return store.notices();
    },

    async hostNotices() {
      return hostFitNotices(store.get(), await host());
    },
  };
}
