/**
 * Pure window-security policy (no electron import, unit-tested): the CSP and
 * which URLs may leave the app for the user's browser. window.ts applies it.
 */

/** The one policy, with the two sources that differ between packaged and dev builds. */
function buildCsp(scriptSrc: string, connectSrc: string): string {
  return [
    "default-src 'none'",
    `script-src ${scriptSrc}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src ${connectSrc}`,
    "object-src 'none'",
    "frame-src 'none'",
    "worker-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/**
 * Packaged renderer (file://). Scripts only from the app itself; inline styles
 * are allowed because React style props and some components need them; no
 * plugins, frames, forms or <base>. electron.vite.config.ts also injects this
 * as a <meta> tag into the built index.html, since file:// responses have no
 * headers to put it in.
 */
export const PRODUCTION_CSP = buildCsp("'self'", "'self'");

/**
 * electron-vite dev server: Vite's React refresh preamble is an inline script
 * and HMR talks over a WebSocket to the dev server.
 */
export function devCsp(devServerUrl: string): string {
  let ws = '';
  try {
    const u = new URL(devServerUrl);
    ws = ` ${u.protocol === 'https:' ? 'wss:' : 'ws:'}//${u.host}`;
  } catch {
    // A malformed dev URL just gets no extra connect source.
  }
  return buildCsp("'self' 'unsafe-inline'", `'self'${ws}`);
}

/** The header form adds what only a header can say. */
export function cspHeader(devServerUrl: string | undefined): string {
  return `${devServerUrl ? devCsp(devServerUrl) : PRODUCTION_CSP}; frame-ancestors 'none'`;
}

/**
 * Whether a URL a page tried to open may go to the user's browser:
 * only http(s) with a host, nothing with credentials, and nothing absurdly long.
 */
export function isExternalUrl(url: string): boolean {
  if (typeof url !== 'string' || url.length > 2048) return false;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return false;
  if (!u.hostname) return false;
  if (u.username || u.password) return false;
  return true;
}

/** Adds (or replaces) the CSP in a set of response headers, whatever their case. */
export function withCspHeader(
  headers: Record<string, string[] | string> | undefined,
  csp: string,
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (k.toLowerCase() === 'content-security-policy') continue;
    out[k] = Array.isArray(v) ? v : [v];
  }
  out['Content-Security-Policy'] = [csp];
  return out;
}

/**
 * Permissions the app's own pages may use: only writing to the clipboard
 * ("copy container id"). No camera, microphone, notifications API,
 * geolocation, MIDI, HID, serial, or anything else; nothing for other pages.
 */
export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

export function isPermissionAllowed(permission: string, requestingUrl: string | undefined, isAppUrl: (url: string) => boolean): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && typeof requestingUrl === 'string' && isAppUrl(requestingUrl);
}
