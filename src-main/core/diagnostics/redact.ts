/**
 * Redaction for diagnostics archives, which users attach to public bug
 * reports. Errs towards hiding: a redacted harmless value costs nothing, a
 * leaked registry token costs a lot.
 */

export const REDACTED = '[redacted]';

/** Keys whose values are secrets: password, token, auth, auths, api-key, … */
const SECRET_KEY = /pass(word|wd|phrase)?|secret|token|auth|credential|api[-_]?key|private[-_]?key|cookie|session/i;

/**
 * Tokens recognisable by their shape wherever they appear, whatever key (if
 * any) they sit under. Prefixes are the issuers' documented ones.
 */
const TOKEN_FORMATS: RegExp[] = [
  /\bgh[pousr]_[A-Za-z0-9]{30,}\b/g, // GitHub classic tokens (personal, OAuth, user-to-server, server, refresh)
  /\bgithub_pat_[A-Za-z0-9_]{20,}/g, // GitHub fine-grained personal access tokens
  /\bglpat-[A-Za-z0-9_-]{20,}/g, // GitLab personal access tokens
  /\bxox[abposr]-[A-Za-z0-9-]{10,}/g, // Slack bot, user, app and refresh tokens
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, // AWS access key ids (long-term and temporary)
  /\bdckr_pat_[A-Za-z0-9_-]{20,}/g, // Docker Hub personal access tokens
  /\bnpm_[A-Za-z0-9]{36}\b/g, // npm access tokens
  /\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, // JWTs (base64url of '{"' twice)
];

/** The words that make a key or a flag secret in free text. */
const SECRET_WORD = String.raw`(?:pass(?:word|wd|phrase)?|secret|token|api[-_]?key|auths?|credential)`;

/** key=value and "key": value, where the value may be quoted (spaces and all). */
const KEY_VALUE = new RegExp(String.raw`("?[\w.-]*${SECRET_WORD}[\w.-]*"?\s*[:=]\s*)("(?:[^"\\\n]|\\.)*"|'[^'\n]*'|[^"'\s,;&[\]{}]+)`, 'gi');

/** --password <pw>, --api-token <t>: a long flag ending in a secret word, then its value. */
const SECRET_FLAG = new RegExp(String.raw`(--[\w-]*${SECRET_WORD}\s+)("(?:[^"\\\n]|\\.)*"|'[^'\n]*'|[^\s"'-][^\s"']*)`, 'gi');

/** `docker login … -p <pw>` (and -p=<pw>); elsewhere -p is a port or a path, so only after `login`. */
const LOGIN_SHORT_PASSWORD = /(\blogin\b[^\n]*?\s-p(?:\s+|=))("(?:[^"\\\n]|\\.)*"|'[^'\n]*'|[^\s"']+)/g;

/** `https://user:pass@host` → `https://[redacted]@host`. */
function redactUrlUserinfo(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@"']+@/gi, `$1${REDACTED}@`);
}

export function isSecretKey(key: string): boolean {
  // "authorization-plugins" names plugins, not credentials; keep it readable.
  return SECRET_KEY.test(key) && key !== 'authorization-plugins';
}

/** Deep copy with secret-looking keys blanked and credentials in URLs removed. */
export function redactValue(value: unknown): unknown {
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return value.map(redactValue);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = isSecretKey(k) && v !== null && v !== '' && typeof v !== 'boolean' ? REDACTED : redactValue(v);
    }
    return out;
  }
  return value;
}

/** A replacement that keeps the value's quotes, so the line still parses the same way. */
function redactedLike(value: string): string {
  const q = value[0];
  return q === '"' || q === "'" ? `${q}${REDACTED}${q}` : REDACTED;
}

const isRedacted = (value: string) => value === REDACTED || value.slice(1, -1) === REDACTED;

/** Line-oriented redaction for logs and command output. */
export function redactText(text: string): string {
  let out = redactUrlUserinfo(text)
    .replace(/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g, '[redacted private key]');
  for (const format of TOKEN_FORMATS) out = out.replace(format, REDACTED);
  return out
    .replace(/\b(authorization|proxy-authorization)(\s*[:=]\s*)(basic|bearer|token)?\s*[^\s"',;]+/gi, (_m, k: string, sep: string, scheme?: string) => `${k}${sep}${scheme ? scheme + ' ' : ''}${REDACTED}`)
    // A bearer token anywhere else (curl -H "X-Auth: Bearer …", an error message).
    .replace(/\b(bearer\s+)([A-Za-z0-9._~+/=-]+)/gi, (m, k: string, v: string) => (isRedacted(v) ? m : `${k}${REDACTED}`))
    .replace(LOGIN_SHORT_PASSWORD, (m, k: string, v: string) => (isRedacted(v) ? m : `${k}${redactedLike(v)}`))
    .replace(SECRET_FLAG, (m, k: string, v: string) => (isRedacted(v) ? m : `${k}${redactedLike(v)}`))
    .replace(KEY_VALUE, (m, k: string, v: string) =>
      // Authorization headers were handled above (keeping the scheme visible).
      isRedacted(v) || /authorization/i.test(k) ? m : `${k}${redactedLike(v)}`);
}
