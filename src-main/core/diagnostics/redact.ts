/**
 * Redaction for diagnostics archives, which users attach to public bug
 * reports. Errs towards hiding: a redacted harmless value costs nothing, a
 * leaked registry token costs a lot.
 */

export const REDACTED = '[redacted]';

/** Keys whose values are secrets: password, token, auth, auths, api-key, … */
const SECRET_KEY = /pass(word|wd|phrase)?|secret|token|auth|credential|api[-_]?key|private[-_]?key|cookie|session/i;

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

/** Line-oriented redaction for logs and command output. */
export function redactText(text: string): string {
  return redactUrlUserinfo(text)
    .replace(/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g, '[redacted private key]')
    .replace(/\b(authorization|proxy-authorization)(\s*[:=]\s*)(basic|bearer|token)?\s*[^\s"',;]+/gi, (_m, k: string, sep: string, scheme?: string) => `${k}${sep}${scheme ? scheme + ' ' : ''}${REDACTED}`)
    .replace(/("?[\w.-]*(?:pass(?:word|wd|phrase)?|secret|token|api[-_]?key|auths?|credential)[\w.-]*"?\s*[:=]\s*"?)([^"\s,;&[\]{}]+)/gi, (m, k: string, v: string) =>
      // Authorization headers were handled above (keeping the scheme visible).
      v === REDACTED || /authorization/i.test(k) ? m : `${k}${REDACTED}`);
}
