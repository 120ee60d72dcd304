import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, ipcMain, Menu, nativeImage, Notification, protocol, session, type NativeImage } from 'electron';
import { APP_INDEX_URL, APP_ORIGIN } from './app-protocol.js';
import type { Settings } from '../core/contract/settings-schema.js';
import type { BackendName, VmState } from '../core/contract/types.js';
import { createIpcAdapter, type IpcAdapter, type TrustedOrigins } from '../core/transports/ipc-adapter.js';
import type { Dispatch } from '../core/transports/dispatcher.js';
import { EventBus } from '../core/util/event-bus.js';
import { WHARF_VERSION } from '../core/version.js';
import { hostCore, type HostedCore } from './core-facade.js';
import { coreLocations } from './core-locations.js';
import { renderAppIcon } from './icons.js';
import { applyStartAtLogin, launchedHidden } from './login-item.js';
import { buildAppMenu } from './menu.js';
import { DEFAULT_STOP_OPTIONS, stopGracefully } from './quit.js';
import { WharfTray } from './tray.js';
import type { TrayMenuActions } from './tray-menu.js';
import { createMainWindow, goToRoute, hardenSession, hardenWebContents, registerAppScheme, revealWindow, serveRenderer, type RendererSource } from './window.js';
import { monotonicMs } from '../core/util/clock.js';

/**
 * The Electron main process: app lifecycle only. The core runs in this
 * process; the window talks to it through the IPC adapter, the tray through
 * core.engine. Closing the window hides it (engine and tray keep running);
 * Quit stops the VM gracefully, bounded by a timeout, then exits.
 */

const log = (message: string) => console.log(`[wharf] ${message}`);
const describe = (err: unknown) => (err instanceof Error ? err.message : String(err));

// out/main/index.js → out/preload/index.cjs and out/renderer/index.html
const here = path.dirname(fileURLToPath(import.meta.url));
const preloadPath = path.join(here, '..', 'preload', 'index.cjs');
const rendererDir = path.join(here, '..', 'renderer');

const isDev = !app.isPackaged;
// electron-vite sets ELECTRON_RENDERER_URL for `electron-vite dev`; never honour it in a packaged app.
const devServerUrl = isDev ? process.env.ELECTRON_RENDERER_URL : undefined;
// The built renderer is served from app://wharf/ (not file://), so the
// grantFileProtocolExtraPrivileges fuse stays off in packaged builds.
const rendererSource: RendererSource = devServerUrl
  ? { kind: 'url', url: devServerUrl }
  : { kind: 'url', url: APP_INDEX_URL };
const trusted: TrustedOrigins = devServerUrl ? { devServerUrl } : { appOrigin: APP_ORIGIN };
if (!devServerUrl) registerAppScheme(protocol);

app.setName('Wharf');
if (process.platform === 'win32') app.setAppUserModelId('dev.wharf.app');

if (!app.requestSingleInstanceLock()) {
  // Another Wharf owns the VM; it gets a 'second-instance' event and shows its window.
  app.quit();
} else {
  run();
}

function run(): void {
  let core: HostedCore | undefined;
  let dispatch: Dispatch | undefined;
  let adapter: IpcAdapter | undefined;
  let tray: WharfTray | undefined;
  let win: BrowserWindow | undefined;
  let quitting = false;
  let readyToExit = false;
  let appIcon: NativeImage | undefined;

  function ensureWindow(show: boolean): BrowserWindow {
    if (win && !win.isDestroyed()) return win;
    appIcon ??= nativeImage.createFromBuffer(renderAppIcon(256));
    const w = createMainWindow({ source: rendererSource, preload: preloadPath, trusted, icon: appIcon, show });
    adapter?.attach(w.webContents);
    if (process.platform === 'darwin') {
      // Like a menu-bar app: a Dock icon only while the dashboard is open.
      w.on('show', () => void app.dock?.show());
      w.on('hide', () => app.dock?.hide());
    }
    w.on('close', (event) => {
      if (quitting) return;
      // Keep the renderer alive (its stores stay warm) and the engine running.
      event.preventDefault();
      w.hide();
    });
    w.on('closed', () => {
      if (win === w) win = undefined;
    });
    // A crashed renderer is reloaded, but not in a loop: at most 3 times a minute.
    let crashes: number[] = [];
    w.webContents.on('render-process-gone', (_event, details) => {
      log(`renderer gone (${details.reason}, exit code ${details.exitCode})`);
      if (details.reason === 'clean-exit' || quitting || w.isDestroyed()) return;
      const now = monotonicMs();
      crashes = [...crashes.filter((t) => now - t < 60_000), now];
      if (crashes.length <= 3) return w.webContents.reload();
      // Give up on this window; Dashboard in the tray makes a fresh one.
      w.destroy();
      notify('Wharf’s window keeps crashing', 'Open it again from the tray (Dashboard). The engine is still running.');
    });
    win = w;
    return w;
  }

  // A request to show the window before the core is up (dock click, second
  // instance, menu) waits for it: a window is only ever created attached.
  let pendingRoute: '#/containers' | '#/settings' | undefined;

  function showDashboard(): void {
    if (!adapter) {
      pendingRoute ??= '#/containers';
      return;
    }
    revealWindow(ensureWindow(true));
  }

  function showSettings(): void {
    if (!adapter) {
      pendingRoute = '#/settings';
      return;
    }
    const w = ensureWindow(true);
    revealWindow(w);
    goToRoute(w, '#/settings');
  }

  async function quitGracefully(): Promise<void> {
    if (quitting) return;
    quitting = true;
    log('quitting: stopping the engine');
    for (const w of BrowserWindow.getAllWindows()) w.hide();
    if (core) {
      const c = core;
      const report = await stopGracefully(
        { stopEngine: () => c.engine.stop(), shutdown: () => c.shutdown() },
        { ...DEFAULT_STOP_OPTIONS, log },
      );
      log(`engine stop: ${report.engine}, core shutdown: ${report.shutdown}`);
    }
    adapter?.dispose();
    tray?.destroy();
    readyToExit = true;
    app.quit();
  }

  /** Tells the user about a failure they caused from the tray, where no window may be open. */
  function notify(title: string, body: string): void {
    if (Notification.isSupported()) new Notification({ title, body, silent: true }).show();
  }

  const engineAction = (name: 'start' | 'stop' | 'restart') => () => {
    if (!core) return;
    // Progress and VM failures reach the tray and the window as vmState events; a refusal
    // before the VM changes state (no image built, already running) does not, so say it here.
    core.engine[name]().catch((err: unknown) => {
      log(`engine ${name} failed: ${describe(err)}`);
      notify(`Wharf could not ${name} the engine`, describe(err));
    });
  };

  const trayActions: TrayMenuActions = {
    onDashboard: showDashboard,
    onStart: engineAction('start'),
    onStop: engineAction('stop'),
    onRestart: engineAction('restart'),
    onSettings: showSettings,
    onQuit: () => app.quit(),
  };

  async function syncLoginItem(): Promise<void> {
    if (!dispatch) return;
    const res = await dispatch('settings.get', []);
    if (!res.ok) return log(`could not read settings for start-at-login: ${res.error.message}`);
    const { startAtLogin } = res.result as Settings;
    if (isDev) return log(`start at login (${startAtLogin ? 'on' : 'off'}) is not registered in development`);
    const did = await applyStartAtLogin(app, startAtLogin, {
      platform: process.platform,
      execPath: process.env.APPIMAGE || process.execPath,
    });
    log(did);
  }

  async function start(): Promise<void> {
    if (!devServerUrl) serveRenderer(session.defaultSession.protocol, rendererDir);
    hardenSession(session.defaultSession, devServerUrl, trusted);
    app.setAboutPanelOptions({
      applicationName: 'Wharf',
      applicationVersion: WHARF_VERSION,
      copyright: 'Wharf contributors',
      website: 'https://wharf.dev',
    });
    Menu.setApplicationMenu(Menu.buildFromTemplate(buildAppMenu({
      platform: process.platform,
      isDev,
      onAbout: () => app.showAboutPanel(),
      onSettings: showSettings,
      onQuit: () => app.quit(),
    })));

    let initial: VmState;
    let initialBackend: BackendName | undefined;
    let bus: EventBus;
    try {
      // vm-assets/ (the manifest the image hash comes from) is the repo's in development; a
      // packaged app ships it and the built image under resources/ (see electron-builder.yml).
      core = await hostCore({
        ...coreLocations({ isPackaged: app.isPackaged, resourcesPath: process.resourcesPath, appPath: app.getAppPath() }),
        log,
      });
      dispatch = core.dispatch;
      bus = core.bus;
      const status = await core.engine.status().catch(() => undefined);
      initial = status?.vm ?? { state: 'stopped' as const };
      initialBackend = status?.backend;
    } catch (err) {
      // Still show the window and tray so the user sees why, instead of a silent exit.
      const reason = `the core failed to start: ${describe(err)}`;
      log(reason);
      bus = new EventBus();
      dispatch = async () => ({ type: 'result', id: 0, ok: false, error: { name: 'CoreError', message: reason } });
      initial = { state: 'error', reason };
    }

    adapter = createIpcAdapter({ ipcMain, dispatch, bus, streams: core?.streams, trusted });
    tray = new WharfTray(trayActions, initial, initialBackend);
    bus.on('vmState', (state) => tray?.update(state));
    const showBackend = () => void core?.engine.status().then((s) => tray?.setBackend(s.backend), () => undefined);
    showBackend();
    bus.on('invalidate', ({ topic }) => { if (topic === 'engine' || topic === 'settings') showBackend(); });
    bus.on('invalidate', ({ topic }) => {
      if (topic === 'settings') syncLoginItem().catch((err: unknown) => log(`start at login: ${describe(err)}`));
    });
    syncLoginItem().catch((err: unknown) => log(`start at login: ${describe(err)}`));

    if (pendingRoute === '#/settings') showSettings();
    else if (pendingRoute) showDashboard();
    else {
      const hidden = launchedHidden(process.argv, app, process.platform);
      ensureWindow(!hidden);
      if (hidden && process.platform === 'darwin') app.dock?.hide();
    }

    if (core && initial.state === 'stopped' && process.env.WHARF_NO_AUTOSTART !== '1') engineAction('start')();
  }

  app.on('second-instance', () => showDashboard());
  // macOS: clicking the dock icon brings the dashboard back.
  app.on('activate', () => showDashboard());
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, trusted));
  // Hidden windows don't close, but if the last one ever does, stay in the tray.
  app.on('window-all-closed', () => {});
  app.on('before-quit', (event) => {
    if (readyToExit) return;
    event.preventDefault();
    void quitGracefully();
  });

  app.whenReady().then(start).catch((err: unknown) => {
    console.error('[wharf] failed to start', err);
    app.exit(1);
  });
}
