import { readFile } from 'node:fs/promises';
import { BrowserWindow, shell, type NativeImage, type Protocol, type Session, type WebContents } from 'electron';
import { APP_SCHEME, APP_SCHEME_PRIVILEGES, resolveAppRequest } from './app-protocol.js';
import { isTrustedUrl, type TrustedOrigins } from '../core/transports/ipc-adapter.js';
import { cspHeader, isExternalUrl, isPermissionAllowed, withCspHeader } from './security.js';

/** Where the renderer comes from: the built index.html, or the dev server. */
export type RendererSource = { kind: 'file'; indexHtml: string } | { kind: 'url'; url: string };

export interface MainWindowOptions {
  source: RendererSource;
  preload: string;
  trusted: TrustedOrigins;
  icon?: NativeImage;
  /** Shown as soon as it is ready unless false (a login launch stays in the tray). */
  show: boolean;
}

/** Must run before the app is ready: app:// becomes a standard, secure origin. */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { ...APP_SCHEME_PRIVILEGES } }]);
}

/**
 * Serves the built renderer at app://wharf/ from rendererDir (inside the
 * asar when packaged). Anything outside it, or not an app file, is refused
 * (app-protocol.ts decides); every page gets the CSP as a header.
 */
export function serveRenderer(protocol: Pick<Protocol, 'handle'>, rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const r = resolveAppRequest(request.url, rendererDir);
    if ('status' in r) return new Response(r.reason, { status: r.status, headers: { 'Content-Type': 'text/plain' } });
    try {
      return new Response(await readFile(r.file), { status: 200, headers: r.headers });
    } catch {
      return new Response('no such file', { status: 404, headers: { 'Content-Type': 'text/plain' } });
    }
  });
}

/**
 * Session-wide hardening, applied once before any window exists: a CSP header
 * on the app's own responses (the dev server's; file:// pages get the meta tag
 * that electron.vite.config.ts injects), and every permission denied but
 * clipboard writes from the app's own pages (security.ts).
 */
export function hardenSession(ses: Session, devServerUrl: string | undefined, trusted: TrustedOrigins): void {
  const csp = cspHeader(devServerUrl);
  ses.webRequest.onHeadersReceived((details, callback) => {
    // Only the app's own pages get it; DevTools and anything else keep their headers.
    if (!isTrustedUrl(details.url, trusted)) return callback({});
    callback({ responseHeaders: withCspHeader(details.responseHeaders, csp) });
  });
  const isApp = (url: string) => isTrustedUrl(url, trusted);
  ses.setPermissionRequestHandler((_wc, permission, callback, details) => {
    callback(isPermissionAllowed(permission, details.requestingUrl, isApp));
  });
  ses.setPermissionCheckHandler((_wc, permission, requestingOrigin, details) => {
    // A check carries an origin; for file:// pages the origin is opaque, so prefer the frame's URL.
    return isPermissionAllowed(permission, details.requestingUrl || requestingOrigin, isApp);
  });
}

/**
 * Guards for any webContents (applied from app 'web-contents-created', so
 * nothing escapes them): no new windows — http(s) links go to the browser —,
 * no navigation away from the app's own pages, no <webview>.
 */
export function hardenWebContents(contents: WebContents, trusted: TrustedOrigins): void {
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  const guard = (event: { preventDefault(): void }, url: string) => {
    if (isTrustedUrl(url, trusted)) return;
    event.preventDefault();
    if (isExternalUrl(url)) void shell.openExternal(url);
  };
  contents.on('will-navigate', (event) => guard(event, event.url));
  contents.on('will-redirect', (event) => guard(event, event.url));
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

export function createMainWindow(opts: MainWindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    title: 'Wharf',
    width: 1200,
    height: 800,
    minWidth: 800,
    minHeight: 560,
    show: false,
    backgroundColor: '#1e1e1e',
    autoHideMenuBar: process.platform !== 'darwin',
    ...(opts.icon && process.platform !== 'darwin' ? { icon: opts.icon } : {}),
    webPreferences: {
      preload: opts.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false,
    },
  });

  // The title stays "Wharf" whatever the page's <title> says.
  win.on('page-title-updated', (event) => event.preventDefault());
  if (opts.show) win.once('ready-to-show', () => win.show());

  if (opts.source.kind === 'url') void win.loadURL(opts.source.url);
  else void win.loadFile(opts.source.indexHtml);
  return win;
}

/** Brings the window to the front, restoring it if minimized or hidden. */
export function revealWindow(win: BrowserWindow): void {
  if (win.isMinimized()) win.restore();
  if (!win.isVisible()) win.show();
  win.focus();
}

/** Switches the renderer to a hash route (#/settings …) without reloading it. */
export function goToRoute(win: BrowserWindow, hash: `#/${string}`): void {
  const js = `location.hash = ${JSON.stringify(hash)};`;
  void win.webContents.executeJavaScript(js).catch(() => {});
}
