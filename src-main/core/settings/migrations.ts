import { SETTINGS_VERSION, type Settings } from '../contract/settings-schema.js';

/**
 * Settings files from older Wharf versions, upgraded one numbered step at a
 * time (each step has its own test). Add a step by bumping SETTINGS_VERSION in
 * the contract and appending to MIGRATIONS; never edit an old step.
 *
 * History of the on-disk shape:
 *
 * v0 (no "version" field; the prototype):
 *   { cpus, memoryGiB, diskSizeGiB, shares: string[], kvm?: boolean,
 *     daemonConfig?: string (daemon.json as *text*) }
 *
 * v1: added "version": 1; `kvm` became `accelerator` ('auto' when unset,
 *   since the prototype's false meant "I never tried"), daemon.json became a
 *   parsed object `daemonJson`, and `switchContext`, `startAtLogin` appeared.
 *   Sizes still in GiB: { version: 1, cpus, memoryGiB, diskSizeGiB, shares,
 *   accelerator, daemonJson, switchContext, startAtLogin }
 *
 * v2: memory in MiB (so 1.5 GiB is expressible) under `memory`,
 *   `diskSizeGiB` renamed `disk`, `shares` renamed `fileShares`, and new
 *   `swap` (MiB) and `backend`.
 *
 * v3 (current, see contract/settings-schema.ts): proxies for the engine
 *   (`httpProxy`, `httpsProxy`, `noProxy`) and for containers
 *   (`containerHttpProxy`, `containerHttpsProxy`, `containerNoProxy`), all ''
 *   (none), and `resourceSaverMinutes` (5; 0 = off).
 */

export type SettingsDoc = Record<string, unknown>;

export interface MigrationContext {
  /** Host-derived defaults, for fields a step introduces. */
  defaults: Settings;
}

export interface StepResult {
  doc: SettingsDoc;
  /** Things the user should know (shown as notices), e.g. a value dropped. */
  notes: string[];
}

export type MigrationStep = (doc: SettingsDoc, ctx: MigrationContext) => StepResult;

export class MigrationError extends Error {
  override name = 'MigrationError';
}

function isPlainObject(value: unknown): value is SettingsDoc {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** v0 → v1: kvm flag → accelerator; daemon.json text → object. */
export const v0ToV1: MigrationStep = (doc, _ctx) => {
  const notes: string[] = [];
  const { kvm, daemonConfig, ...rest } = doc;
  const out: SettingsDoc = { ...rest, version: 1 };
  // Only an explicit `true` was a user choice; false was the prototype's default.
  out.accelerator = kvm === true ? 'kvm' : 'auto';
  let daemonJson: SettingsDoc = {};
  if (typeof daemonConfig === 'string' && daemonConfig.trim() !== '') {
    try {
      const parsed: unknown = JSON.parse(daemonConfig);
      if (isPlainObject(parsed)) daemonJson = parsed;
      else notes.push('The old daemon.json setting was not a JSON object and was dropped; set it again in Settings → Docker Engine.');
    } catch {
      notes.push('The old daemon.json setting was not valid JSON and was dropped; set it again in Settings → Docker Engine.');
    }
  }
  out.daemonJson = daemonJson;
  out.switchContext = true;
  out.startAtLogin = false;
  return { doc: out, notes };
};

/** v1 → v2: GiB memory → MiB, renames, new swap and backend. */
export const v1ToV2: MigrationStep = (doc, ctx) => {
  const { memoryGiB, diskSizeGiB, shares, ...rest } = doc;
  const out: SettingsDoc = { ...rest, version: 2 };
  // Non-numbers are passed through unchanged so schema validation reports them.
  out.memory = typeof memoryGiB === 'number' ? Math.round(memoryGiB * 1024) : memoryGiB ?? ctx.defaults.memory;
  out.disk = diskSizeGiB ?? ctx.defaults.disk;
  out.fileShares = shares ?? ctx.defaults.fileShares;
  out.swap = ctx.defaults.swap;
  out.backend = ctx.defaults.backend;
  return { doc: out, notes: [] };
};

/** v2 → v3: proxies (none) and Resource Saver (the default, 5 minutes). */
export const v2ToV3: MigrationStep = (doc, ctx) => {
  const out: SettingsDoc = { ...doc, version: 3 };
  for (const key of ['httpProxy', 'httpsProxy', 'noProxy', 'containerHttpProxy', 'containerHttpsProxy', 'containerNoProxy'] as const) {
    out[key] = ctx.defaults[key];
  }
  out.resourceSaverMinutes = ctx.defaults.resourceSaverMinutes;
  return { doc: out, notes: [] };
};

/** MIGRATIONS[n] upgrades version n to n + 1. */
export const MIGRATIONS: readonly MigrationStep[] = [v0ToV1, v1ToV2, v2ToV3];

export function versionOf(doc: SettingsDoc): number {
  if (!('version' in doc)) return 0;
  const v = doc.version;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
    throw new MigrationError(`"version" must be a whole number; got ${JSON.stringify(v)}`);
  }
  return v;
}

export interface MigrateResult extends StepResult {
  from: number;
}

/** Runs every step from the document's version up to SETTINGS_VERSION. */
export function migrate(raw: unknown, ctx: MigrationContext): MigrateResult {
  if (!isPlainObject(raw)) throw new MigrationError('the file does not hold a JSON object');
  const from = versionOf(raw);
  if (from > SETTINGS_VERSION) {
    throw new MigrationError(`it was written by a newer Wharf (settings version ${from}; this Wharf understands up to ${SETTINGS_VERSION})`);
  }
  let doc: SettingsDoc = raw;
  const notes: string[] = [];
  for (let v = from; v < SETTINGS_VERSION; v++) {
    const step = MIGRATIONS[v];
    if (!step) throw new MigrationError(`no migration from settings version ${v}`);
    const result = step(doc, ctx);
    doc = result.doc;
    notes.push(...result.notes);
  }
  return { doc, notes, from };
}
