/* global process, setTimeout, setImmediate */
/**
 * A fake of the parts of Electron's main-process API that src-main/electron
 * uses, for running main.ts under Node where no Electron binary exists. It
 * records what the app does and, with FAKE_ELECTRON_SCENARIO=1, drives a
 * scenario (renderer calls, navigation, close, second instance, quit) and
 * prints each observation as a `FAKE {json}` line for the test to check.
 */
import { EventEmitter } from 'node:events';
import { pathToFileURL } from 'node:url';

const report = (what, data = {}) => process.stdout.write(`FAKE ${JSON.stringify({ what, ...data })}\n`);

function makeEvent() {
  return { defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
}

class FakeApp extends EventEmitter {
  isPackaged = false;
  name = 'electron';
  loginItem = { openAtLogin: false };
  #ready;
  #resolveReady;
  constructor() {
    super();
    this.#ready = new Promise((r) => { this.#resolveReady = r; });
    setTimeout(() => this.#resolveReady(), 10);
  }
  whenReady() { return this.#ready; }
  requestSingleInstanceLock() { return process.env.FAKE_ELECTRON_SECOND !== '1'; }
  setName(n) { this.name = n; }
  getName() { return this.name; }
  setAppUserModelId() {}
  getAppPath() { return process.cwd(); }
  setAboutPanelOptions(o) { this.about = o; }
  showAboutPanel() { report('about'); }
  getLoginItemSettings() { return this.loginItem; }
  setLoginItemSettings(s) { this.loginItem = s; report('login-item', s); }
  quit() {
    const e = makeEvent();
    this.emit('before-quit', e);
    if (e.defaultPrevented) { report('quit-deferred'); return; }
    report('quit');
    setImmediate(() => process.exit(0));
  }
  exit(code) { report('exit', { code }); process.exit(code); }
}
export const app = new FakeApp();

let nextId = 1;
class FakeWebContents extends EventEmitter {
  id = nextId++;
  url = '';
  destroyed = false;
  sent = [];
  windowOpenHandler;
  executed = [];
  getURL() { return this.url; }
  isDestroyed() { return this.destroyed; }
  send(channel, msg) { this.sent.push({ channel, msg }); }
  setWindowOpenHandler(h) { this.windowOpenHandler = h; }
  async executeJavaScript(js) { this.executed.push(js); }
  reload() { this.emit('did-navigate'); }
}

const windows = [];
export class BrowserWindow extends EventEmitter {
  static getAllWindows() { return windows.filter((w) => !w.destroyed); }
  constructor(options) {
    super();
    this.options = options;
    this.visible = false;
    this.destroyed = false;
    this.webContents = new FakeWebContents();
    windows.push(this);
    app.emit('web-contents-created', makeEvent(), this.webContents);
    report('window-created', { title: options.title, webPreferences: options.webPreferences, show: options.show });
  }
  async loadFile(file) { this.webContents.url = pathToFileURL(file).href; setTimeout(() => this.emit('ready-to-show'), 5); }
  async loadURL(url) { this.webContents.url = url; setTimeout(() => this.emit('ready-to-show'), 5); }
  show() { this.visible = true; }
  hide() { this.visible = false; }
  focus() {}
  restore() {}
  isMinimized() { return false; }
  isVisible() { return this.visible; }
  isDestroyed() { return this.destroyed; }
  getTitle() { return this.options.title; }
  destroy() {
    if (this.destroyed) return;
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.webContents.emit('destroyed');
    this.emit('closed');
  }
  close() {
    const e = makeEvent();
    this.emit('close', e);
    if (!e.defaultPrevented) {
      this.destroyed = true;
      this.webContents.destroyed = true;
      this.webContents.emit('destroyed');
      this.emit('closed');
    }
  }
}

class FakeIpcMain {
  handlers = new Map();
  handle(channel, fn) { this.handlers.set(channel, fn); report('ipc-handle', { channel }); }
  removeHandler(channel) { this.handlers.delete(channel); }
}
export const ipcMain = new FakeIpcMain();

export const Menu = {
  buildFromTemplate: (template) => ({ template }),
  setApplicationMenu: (menu) => report('app-menu', { labels: menu.template.map((m) => m.label) }),
};

export const nativeImage = {
  createFromBuffer: (buf) => ({ size: buf.length }),
  createEmpty: () => ({ reps: [], addRepresentation(r) { this.reps.push(r); } }),
};

const trays = [];
export class Tray extends EventEmitter {
  constructor(image) { super(); this.image = image; trays.push(this); }
  setImage(i) { this.image = i; }
  setToolTip(t) { this.tooltip = t; }
  setContextMenu(m) { this.menu = m; }
  destroy() { this.destroyed = true; }
}

const notifications = [];
export class Notification {
  static isSupported() { return true; }
  constructor(options) { this.options = options; }
  show() { notifications.push(this.options); report('notification', { title: this.options.title, body: this.options.body }); }
}

export const shell = { opened: [], async openExternal(url) { this.opened.push(url); } };

/** registerSchemesAsPrivileged only works before 'ready' in Electron; the fake checks that too. */
let readyFired = false;
app.whenReady().then(() => { readyFired = true; });
export const protocol = {
  privileged: [],
  registerSchemesAsPrivileged(schemes) {
    if (readyFired) report('scheme-registered-too-late');
    this.privileged.push(...schemes);
  },
};

export const session = {
  defaultSession: {
    protocol: { handlers: new Map(), handle(scheme, fn) { this.handlers.set(scheme, fn); } },
    webRequest: { onHeadersReceived: (fn) => { session.defaultSession.headersHook = fn; } },
    setPermissionRequestHandler: (fn) => { session.defaultSession.permissionHandler = fn; },
    setPermissionCheckHandler: (fn) => { session.defaultSession.permissionCheck = fn; },
  },
};

export default { app, BrowserWindow, ipcMain, Menu, nativeImage, Notification, Tray, shell, session, protocol };

async function waitFor(fn, what, ms = 30_000) {
  const start = Date.now();
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() - start > ms) { report('timeout', { waitingFor: what }); process.exit(3); }
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function scenario() {
  const handler = await waitFor(() => ipcMain.handlers.get('wharf:call'), 'ipc handler');
  const win = await waitFor(() => BrowserWindow.getAllWindows()[0], 'window');
  await waitFor(() => win.webContents.url, 'load');
  await waitFor(() => trays[0]?.menu, 'tray');
  await new Promise((r) => setTimeout(r, 50));
  report('window', { url: win.webContents.url, visible: win.isVisible() });
  const serve = session.defaultSession.protocol.handlers.get('app');
  const fetchApp = async (url) => { const r = await serve({ url }); return { status: r.status, csp: r.headers.get('content-security-policy') }; };
  report('app-protocol', {
    privileged: protocol.privileged,
    index: await fetchApp('app://wharf/index.html'),
    traversal: await fetchApp('app://wharf/%2e%2e/%2e%2e/package.json'),
    encodedSlash: await fetchApp('app://wharf/..%2f..%2fpackage.json'),
    otherHost: await fetchApp('app://evil/index.html'),
  });
  const wc = win.webContents;
  const frame = { url: wc.url, parent: null };

  const status = await handler({ senderFrame: frame, sender: wc }, 'engine.status', []);
  report('call-status', { ok: status.ok, state: status.ok ? status.result.vm.state : undefined, error: status.ok ? undefined : status.error });
  const settings = await handler({ senderFrame: frame, sender: wc }, 'settings.get', []);
  report('call-settings', { ok: settings.ok, keys: settings.ok ? Object.keys(settings.result).sort() : [] });
  const evil = await handler({ senderFrame: { url: 'https://evil.example/', parent: null }, sender: wc }, 'engine.stop', []);
  report('call-untrusted', { ok: evil.ok, error: evil.ok ? undefined : evil.error.name });
  const unknown = await handler({ senderFrame: frame, sender: wc }, 'process.exit', []);
  report('call-unknown', { ok: unknown.ok });

  const nav = makeEvent(); nav.url = 'https://evil.example/phish';
  wc.emit('will-navigate', nav);
  const inApp = makeEvent(); inApp.url = wc.url + '#/images';
  wc.emit('will-navigate', inApp);
  const open = wc.windowOpenHandler({ url: 'https://docs.docker.com/' });
  const openFile = wc.windowOpenHandler({ url: 'file:///etc/passwd' });
  const webview = makeEvent();
  wc.emit('will-attach-webview', webview);
  report('navigation', { externalPrevented: nav.defaultPrevented, inAppPrevented: inApp.defaultPrevented, open: open.action, openFile: openFile.action, webviewPrevented: webview.defaultPrevented, opened: shell.opened });

  const ask = (permission, requestingUrl) => new Promise((r) => session.defaultSession.permissionHandler(wc, permission, r, { requestingUrl }));
  const perms = {
    media: await ask('media', wc.url),
    clipboard: await ask('clipboard-sanitized-write', wc.url),
    clipboardElsewhere: await ask('clipboard-sanitized-write', 'https://evil.example/'),
    checkNotifications: session.defaultSession.permissionCheck(wc, 'notifications', 'file:///', { requestingUrl: wc.url }),
  };
  const headers = await new Promise((r) => session.defaultSession.headersHook({ url: wc.url, responseHeaders: { 'Content-Type': ['text/html'] } }, r));
  const foreign = await new Promise((r) => session.defaultSession.headersHook({ url: 'devtools://devtools/x', responseHeaders: {} }, r));
  report('session', { permissionGranted: perms, csp: headers.responseHeaders?.['Content-Security-Policy']?.[0], foreignTouched: foreign.responseHeaders !== undefined });

  const tray = trays[0];
  report('tray', { tooltip: tray.tooltip, labels: tray.menu.template.filter((i) => i.label).map((i) => i.label), reps: tray.image.reps?.map((r) => r.scaleFactor) });

  win.close();
  report('after-close', { windows: BrowserWindow.getAllWindows().length, visible: win.isVisible() });
  app.emit('second-instance', makeEvent(), [], process.cwd());
  report('after-second-instance', { visible: win.isVisible() });
  tray.menu.template.find((i) => i.id === 'settings').click();
  await new Promise((r) => setTimeout(r, 10));
  report('after-settings', { executed: wc.executed });

  // An engine action from the tray; the core's events reach the tray and the window.
  wc.sent.length = 0;
  tray.menu.template.find((i) => i.id === 'start').click();
  // Either the VM changes state, or the core refuses at once (no image built) and the user is told.
  await waitFor(() => wc.sent.some((m) => m.msg?.name === 'vmState') || notifications.length > 0, 'vmState event or a notification');
  report('after-start', {
    channels: [...new Set(wc.sent.map((m) => m.channel))],
    events: wc.sent.map((m) => m.msg.name),
    tooltip: tray.tooltip,
    stateLine: tray.menu.template[0].label,
  });

  // A renderer that keeps crashing: reloaded 3 times, then the window is dropped;
  // Dashboard makes a fresh window that is attached to the IPC adapter.
  let reloads = 0;
  wc.on('did-navigate', () => reloads++);
  for (let i = 0; i < 4; i++) wc.emit('render-process-gone', makeEvent(), { reason: 'crashed', exitCode: 11 });
  const afterCrashes = BrowserWindow.getAllWindows().length;
  tray.menu.template.find((i) => i.id === 'dashboard').click();
  const fresh = BrowserWindow.getAllWindows()[0];
  await waitFor(() => fresh?.webContents.url, 'fresh window load');
  const again = await handler({ senderFrame: { url: fresh.webContents.url, parent: null }, sender: fresh.webContents }, 'engine.status', []);
  const stale = await handler({ senderFrame: frame, sender: wc }, 'engine.status', []);
  report('after-crashes', { reloads, windowsAfterCrashes: afterCrashes, freshIsNew: fresh !== win, freshCall: again.ok, staleCall: stale.ok, notified: notifications.map((n) => n.title) });
  app.quit();
}

if (process.env.FAKE_ELECTRON_SCENARIO === '1') {
  scenario().catch((err) => { report('scenario-error', { message: String(err?.stack ?? err) }); process.exit(2); });
}
