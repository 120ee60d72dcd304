import path from 'node:path';
import { cspHeader } from './security.js';

/**
 * The packaged renderer is served from app://wharf/ instead of file://, so
 * the page has a real origin, gets its CSP as a response header, and the
 * grantFileProtocolExtraPrivileges fuse can be off (file:// pages no longer
 * need it). Pure (no electron import): window.ts registers it with Electron.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'wharf';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

/** What registerSchemesAsPrivileged gets: a standard, secure origin that may fetch; nothing else. */
export const APP_SCHEME_PRIVILEGES = { standard: true, secure: true, supportFetchAPI: true, corsEnabled: false, stream: false } as const;

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.map': 'application/json',
};

export type AppRequest = { file: string; headers: Record<string, string> } | { status: 400 | 403 | 404; reason: string };

/**
 * Maps an app:// URL to a file inside the renderer directory, or refuses it.
 * Refused: another host, a path that escapes the directory once decoded and
 * normalised (`..`, `%2e%2e`, encoded separators, backslashes, NUL), and
 * malformed escapes. Only files, never directory listings.
 */
export function resolveAppRequest(url: string, rendererDir: string): AppRequest {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { status: 400, reason: 'not a URL' };
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return { status: 403, reason: `not ${APP_ORIGIN}` };
  // URL parsing already folded plain "/../"; what is left encoded is decoded here and checked again.
  let decoded: string;
  try {
    decoded = decodeURIComponent(u.pathname);
  } catch {
    return { status: 400, reason: 'malformed percent-escape' };
  }
  if (/[\0\\]/.test(decoded)) return { status: 403, reason: 'NUL or backslash in path' };
  const segments = decoded.split('/');
  if (segments.some((s) => s === '..')) return { status: 403, reason: 'path escapes the app' };
  const relative = path.posix.normalize(decoded === '/' ? '/index.html' : decoded).replace(/^\/+/, '');
  const root = path.resolve(rendererDir);
  const file = path.resolve(root, relative);
  if (file !== root && !file.startsWith(root + path.sep)) return { status: 403, reason: 'path escapes the app' };
  if (file === root || relative === '') return { status: 404, reason: 'no such file' };
  const type = MIME[path.extname(file).toLowerCase()];
  if (!type) return { status: 404, reason: 'not an app file type' };
  return {
    file,
    headers: {
      'Content-Type': type,
      'Content-Security-Policy': cspHeader(undefined),
      'X-Content-Type-Options': 'nosniff',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cache-Control': 'no-cache',
    },
  };
}
