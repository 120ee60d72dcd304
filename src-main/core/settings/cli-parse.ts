import path from 'node:path';
import type { Settings, SettingsKey, SettingsPatch } from '../contract/settings-schema.js';
import { UserError } from '../errors.js';
import { validateDaemonJsonText } from './daemon-json.js';
import { parseGiB, parseMiB, UnitError } from './units.js';
import { SETTINGS_KEYS, unknownKeyMessage } from './validate.js';

/**
 * `wharf set key=value …` → SettingsPatch, and `wharf get [key]` output.
 * This only turns text into typed values; whether a value is acceptable on
 * this host is validate.ts's call (via settings.set), so the CLI and the UI
 * share one set of rules.
 */

export interface ParseOptions {
  /** The CLI's working directory, to resolve relative share paths. */
  cwd?: string;
  /** The user's home, to expand "~/" in share paths. */
  home?: string;
}

function parseBoolean(value: string): boolean {
  const v = value.trim().toLowerCase();
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new UnitError(`expected true or false; got ${JSON.stringify(value)}`);
}

function parseWhole(value: string): number {
  if (!/^\s*-?\d+\s*$/.test(value)) throw new UnitError(`expected a whole number; got ${JSON.stringify(value)}`);
  return Number(value);
}

function expandShare(share: string, opts: ParseOptions): string {
  let s = share.trim();
  if (opts.home && (s === '~' || s.startsWith('~/'))) s = path.join(opts.home, s.slice(1));
  // Relative paths are relative to where the user typed the command, not to
  // the core's cwd; without a cwd they stay relative and validation refuses them.
  if (opts.cwd && s !== '' && !path.isAbsolute(s)) s = path.resolve(opts.cwd, s);
  return s;
}

function parseValue(key: SettingsKey, value: string, opts: ParseOptions): unknown {
  switch (key) {
    case 'cpus': return parseWhole(value);
    // Negative sizes are not a unit problem; pass them on so validate.ts gives the range.
    case 'memory':
    case 'swap': return /^\s*-\d+\s*$/.test(value) ? Number(value) : parseMiB(value);
    case 'disk': return /^\s*-\d+\s*$/.test(value) ? Number(value) : parseGiB(value);
    case 'accelerator':
    case 'backend':
    case 'fileSharing': return value.trim();
    case 'switchContext':
    case 'startAtLogin': return parseBoolean(value);
    case 'fileShares':
    case 'syncedShares': return value.trim() === '' ? [] : value.split(',').map((s) => expandShare(s, opts));
    case 'httpProxy':
    case 'httpsProxy':
    case 'noProxy':
    case 'containerHttpProxy':
    case 'containerHttpsProxy':
    case 'containerNoProxy': return value;
    // "off" reads better than 0 on a command line; both mean no Resource Saver.
    case 'resourceSaverMinutes': return value.trim().toLowerCase() === 'off' ? 0 : parseWhole(value);
    case 'daemonJson': {
      const check = validateDaemonJsonText(value);
      if (!check.value || check.errors.length) throw new UnitError(check.errors.join(' '));
      return check.value;
    }
  }
}

/**
 * Parses every token and reports every problem at once (one per line), so a
 * user fixing a long command line does not discover errors one run at a time.
 */
export function parseSetArgs(tokens: readonly string[], opts: ParseOptions = {}): SettingsPatch {
  if (tokens.length === 0) {
    throw new UserError(`Nothing to set. Usage: wharf set key=value …; settings are: ${SETTINGS_KEYS.join(', ')}.`);
  }
  const errors: string[] = [];
  const seen = new Set<string>();
  const patch: Record<string, unknown> = {};
  for (const token of tokens) {
    const eq = token.indexOf('=');
    if (eq <= 0) {
      errors.push(eq === 0
        ? `"${token}" has no key before "="; write key=value, e.g. cpus=2.`
        : `"${token}" is missing "="; write key=value, e.g. ${SETTINGS_KEYS.includes(token as SettingsKey) ? `${token}=…` : 'cpus=2'}.`);
      continue;
    }
    const key = token.slice(0, eq).trim();
    const value = token.slice(eq + 1);
    if (!(SETTINGS_KEYS as readonly string[]).includes(key)) {
      errors.push(unknownKeyMessage(key));
      continue;
    }
    if (seen.has(key)) {
      errors.push(`${key} is given more than once; give each setting once.`);
      continue;
    }
    seen.add(key);
    try {
      patch[key] = parseValue(key as SettingsKey, value, opts);
    } catch (err) {
      if (!(err instanceof UnitError)) throw err;
      errors.push(`${key}: ${err.message}.`.replace(/\.\.$/, '.'));
    }
  }
  if (errors.length) throw new UserError(errors.join('\n'), 'invalid-settings');
  return patch as SettingsPatch;
}

/** A value as `wharf set` accepts it back, so `get` output round-trips. */
export function formatValue(key: SettingsKey, settings: Settings): string {
  const v = settings[key];
  if (key === 'fileShares' || key === 'syncedShares') return (v as string[]).join(',');
  if (key === 'daemonJson') return JSON.stringify(v);
  if (key === 'memory' || key === 'swap') return `${v as number}MiB`;
  if (key === 'disk') return `${v as number}GiB`;
  return String(v);
}

/** `wharf get` (every key, one `key=value` per line) or `wharf get <key>` (the bare value). */
export function formatGet(settings: Settings, key?: string): string {
  if (key === undefined) return SETTINGS_KEYS.map((k) => `${k}=${formatValue(k, settings)}`).join('\n');
  if (!(SETTINGS_KEYS as readonly string[]).includes(key)) throw new UserError(unknownKeyMessage(key));
  return formatValue(key as SettingsKey, settings);
}
