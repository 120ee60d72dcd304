import {
  BOOLEAN_KEYS, DOCKERD_KEYS, ENUM_KEYS, INTEGER_KEYS, OBJECT_KEYS, STRING_ARRAY_KEYS, STRING_KEYS,
  WHARF_CONTROLLED_KEYS,
} from './daemon-json-keys.js';
import { parseJsonText } from './json-text.js';

/**
 * Checks a daemon.json the way dockerd would, before it reaches the VM: a
 * mistake found here is a message in the Settings UI; the same mistake
 * found by dockerd is an engine that does not start.
 */

export interface DaemonJsonCheck {
  ok: boolean;
  errors: string[];
  /** The parsed object, when the text parsed as a JSON object. */
  value?: Record<string, unknown>;
}

const known = new Set(DOCKERD_KEYS);

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `the string ${JSON.stringify(v)}`;
  return `${typeof v} ${JSON.stringify(v)}`;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Levenshtein distance, to suggest "log-level" for "loglevel". */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

export function suggestKey(key: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = distance(key.toLowerCase(), c);
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return bestD <= Math.max(2, Math.floor(key.length / 4)) ? best : undefined;
}

function checkValue(key: string, value: unknown, errors: string[]): void {
  const where = `"${key}"`;
  if ((BOOLEAN_KEYS as readonly string[]).includes(key)) {
    if (typeof value !== 'boolean') errors.push(`${where} must be true or false; got ${typeName(value)}.`);
    return;
  }
  if (key in ENUM_KEYS) {
    const allowed = ENUM_KEYS[key]!;
    if (typeof value !== 'string' || !allowed.includes(value)) {
      errors.push(`${where} must be one of ${allowed.map((a) => `"${a}"`).join(', ')}; got ${typeName(value)}.`);
    }
    return;
  }
  if ((STRING_KEYS as readonly string[]).includes(key)) {
    if (typeof value !== 'string') errors.push(`${where} must be a string; got ${typeName(value)}.`);
    return;
  }
  if ((STRING_ARRAY_KEYS as readonly string[]).includes(key)) {
    if (!Array.isArray(value) || !value.every((x) => typeof x === 'string')) {
      errors.push(`${where} must be a list of strings, e.g. ["a", "b"]; got ${typeName(value)}.`);
      return;
    }
    if (key === 'registry-mirrors') {
      for (const m of value as string[]) {
        if (!/^https?:\/\/[^\s/]+/.test(m)) errors.push(`"registry-mirrors" entries must be http:// or https:// URLs; got ${JSON.stringify(m)}.`);
      }
    }
    return;
  }
  if (key in INTEGER_KEYS) {
    const min = INTEGER_KEYS[key];
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      errors.push(`${where} must be a whole number; got ${typeName(value)}.`);
    } else if (min !== undefined && value < min) {
      errors.push(`${where} must be at least ${min}; got ${value}.`);
    }
    return;
  }
  if ((OBJECT_KEYS as readonly string[]).includes(key)) {
    if (!isObject(value)) {
      errors.push(`${where} must be an object ({ … }); got ${typeName(value)}.`);
      return;
    }
    // dockerd decodes these maps into Go map[string]string / map[string]bool:
    // `"max-file": 3` (a number) stops it from starting.
    if (key === 'log-opts' || key === 'proxies') {
      for (const [k, v] of Object.entries(value)) {
        if (typeof v !== 'string') errors.push(`"${key}.${k}" must be a string (write "${String(v)}" in quotes); got ${typeName(v)}.`);
      }
    }
    if (key === 'features') {
      for (const [k, v] of Object.entries(value)) {
        if (typeof v !== 'boolean') errors.push(`"features.${k}" must be true or false; got ${typeName(v)}.`);
      }
    }
    return;
  }
  if (key === 'default-address-pools') {
    const ok = Array.isArray(value) && value.every((p) => isObject(p) && typeof p.base === 'string' && Number.isInteger(p.size));
    if (!ok) errors.push(`"default-address-pools" must be a list like [{"base": "172.30.0.0/16", "size": 24}]; got ${typeName(value)}.`);
  }
}

/** Checks an already-parsed daemon.json value (as stored in settings). */
export function checkDaemonConfig(value: unknown): string[] {
  if (!isObject(value)) return [`daemon.json must be a JSON object ({ … }); got ${typeName(value)}.`];
  const errors: string[] = [];
  for (const [key, v] of Object.entries(value)) {
    if (key in WHARF_CONTROLLED_KEYS) {
      errors.push(`"${key}" cannot be set: ${WHARF_CONTROLLED_KEYS[key]}`);
      continue;
    }
    if (!known.has(key)) {
      const hint = suggestKey(key, DOCKERD_KEYS);
      errors.push(`"${key}" is not a dockerd option${hint ? `; did you mean "${hint}"?` : '; see the daemon.json keys in the dockerd reference.'}`);
      continue;
    }
    checkValue(key, v, errors);
  }
  return errors;
}

/** Checks daemon.json *text*: syntax (with line and column), shape, keys and types. */
export function validateDaemonJsonText(text: string): DaemonJsonCheck {
  const parsed = parseJsonText(text);
  if (!parsed.ok) {
    const { message, line, column } = parsed.error;
    return { ok: false, errors: [`daemon.json is not valid JSON: ${message} at line ${line}, column ${column}.`] };
  }
  const errors = parsed.duplicates.map(
    (d) => `"${d.key}" appears more than once (again at line ${d.line}, column ${d.column}); keep one.`,
  );
  errors.push(...checkDaemonConfig(parsed.value));
  const value = isObject(parsed.value) ? parsed.value : undefined;
  return value ? { ok: errors.length === 0, errors, value } : { ok: false, errors };
}
