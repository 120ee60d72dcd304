import { BrowserWindow, shell, type NativeImage, type Session, type WebContents } from 'electron';
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
