import { z } from 'zod';

/**
 * The persisted settings document. Host-dependent bounds (CPUs, memory) are
 * checked by the settings service, not here, because the schema must also
 * parse files written on a bigger machine.
 */
export const SETTINGS_VERSION = 3;

export const acceleratorSetting = z.enum(['auto', 'kvm', 'hvf', 'whpx', 'tcg']);
export const backendSetting = z.enum(['qemu', 'wsl', 'vz']);
export const fileSharingSetting = z.enum(['auto', 'virtiofs', '9p']);

export const settingsSchema = z.object({
  version: z.literal(SETTINGS_VERSION),
  /** Virtual CPUs. */
  cpus: z.number().int().min(1).max(256),
  /** Guest memory in MiB. */
  memory: z.number().int().min(512).max(1024 * 1024),
  /** Guest swap in MiB (0 disables). */
  swap: z.number().int().min(0).max(1024 * 1024),
  /** Data disk size in GiB; it only grows. */
  disk: z.number().int().min(8).max(64 * 1024),
  accelerator: acceleratorSetting,
  backend: backendSetting,
  /** Make the `wharf` docker context current on start, restore the previous one on stop. */
  switchContext: z.boolean(),
  /** Host directories shared into the VM at the same path. */
  fileShares: z.array(z.string().min(1)),
  /** How shared folders reach the VM: auto prefers virtio-fs, 9p where virtiofsd is missing. Older files lack it. */
  fileSharing: fileSharingSetting.default('auto'),
  /**
   * Folders inside fileShares whose bind mounts use a two-way-synced copy on the VM's disk
   * (fast for many small files; host and container see each other's edits after a sync run).
   * Older files lack it.
   */
  syncedShares: z.array(z.string().min(1)).default([]),
  /** Contents of the guest's /etc/docker/daemon.json. */
  daemonJson: z.record(z.string(), z.unknown()),
  startAtLogin: z.boolean(),
  /** Proxies dockerd uses for pulls (its HTTP_PROXY/HTTPS_PROXY/NO_PROXY); '' = none. */
  httpProxy: z.string(),
  httpsProxy: z.string(),
  noProxy: z.string(),
  /** Proxies the docker CLI hands to new containers and builds (config.json "proxies"); '' = none. */
  containerHttpProxy: z.string(),
  containerHttpsProxy: z.string(),
  containerNoProxy: z.string(),
  /** Resource Saver: stop the VM after this many idle minutes with no container running; 0 = off. */
  resourceSaverMinutes: z.number().int().min(0).max(24 * 60),
});

export type Settings = z.infer<typeof settingsSchema>;
export type SettingsKey = Exclude<keyof Settings, 'version'>;
const SETTING_NAMES = 'cpus, memory, swap, disk, accelerator, backend, switchContext, fileShares, fileSharing, syncedShares, daemonJson, startAtLogin, httpProxy, httpsProxy, noProxy, containerHttpProxy, containerHttpsProxy, containerNoProxy, resourceSaverMinutes';

/**
 * A partial update, as `wharf set` or the Settings UI sends it. Transports
 * check only its *shape* here. Ranges, host limits, share paths and
 * daemon.json keys are checked by the settings service
 * (core/settings/validate.ts). If the ranges were also here, the dispatcher
 * would refuse `cpus: -1` first with a generic zod message, and callers would
 * never see the service's own message ("cpus must be … between 1 and 2 (this
 * host has 2 CPUs); got -1"). The enums are typed but accept any string at
 * run time for the same reason.
 */
export const settingsPatchSchema = z.strictObject({
  cpus: z.number(),
  memory: z.number(),
  swap: z.number(),
  disk: z.number(),
  accelerator: z.custom<z.infer<typeof acceleratorSetting>>((v) => typeof v === 'string', 'expected a string'),
  backend: z.custom<z.infer<typeof backendSetting>>((v) => typeof v === 'string', 'expected a string'),
  switchContext: z.boolean(),
  fileShares: z.array(z.string()),
  fileSharing: z.custom<z.infer<typeof fileSharingSetting>>((v) => typeof v === 'string', 'expected a string'),
  syncedShares: z.array(z.string()),
  daemonJson: z.record(z.string(), z.unknown()),
  startAtLogin: z.boolean(),
  httpProxy: z.string(),
  httpsProxy: z.string(),
  noProxy: z.string(),
  containerHttpProxy: z.string(),
  containerHttpsProxy: z.string(),
  containerNoProxy: z.string(),
  resourceSaverMinutes: z.number(),
}, {
  error: (issue) => (issue.code === 'unrecognized_keys'
    ? `${issue.keys.map((k) => `"${k}"`).join(', ')} ${issue.keys.length === 1 ? 'is not a setting' : 'are not settings'}; valid settings are: ${SETTING_NAMES}.`
    : undefined),
}).partial();
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;
