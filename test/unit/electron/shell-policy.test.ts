import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { MenuItemConstructorOptions } from 'electron';
import {
  applyStartAtLogin, desktopExecQuote, HIDDEN_ARG, launchedHidden, linuxAutostartDir, linuxAutostartEntry, type LoginItemApp,
} from '../../../src-main/electron/login-item.js';
import { buildAppMenu, type AppMenuOptions } from '../../../src-main/electron/menu.js';
import { bounded, stopGracefully } from '../../../src-main/electron/quit.js';
import { cspHeader, devCsp, isExternalUrl, isPermissionAllowed, PRODUCTION_CSP, withCspHeader } from '../../../src-main/electron/security.js';

function menuOpts(platform: NodeJS.Platform, isDev: boolean) {
  const clicked: string[] = [];
  const opts: AppMenuOptions = {
    platform,
    isDev,
    onAbout: () => clicked.push('about'),
    onSettings: () => clicked.push('settings'),
    onQuit: () => clicked.push('quit'),
  };
  return { opts, clicked };
}

function flatten(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? flatten(i.submenu) : [])]);
}

const roles = (items: MenuItemConstructorOptions[]) => flatten(items).map((i) => i.role).filter(Boolean);

describe('buildAppMenu', () => {
  it('has Wharf, Edit, View and Window menus', () => {
    for (const platform of ['darwin', 'win32', 'linux'] as const) {
      assert.deepEqual(buildAppMenu(menuOpts(platform, false).opts).map((m) => m.label), ['Wharf', 'Edit', 'View', 'Window']);
    }
  });

  it('wires About, Settings… and Quit to the shell', () => {
    const { opts, clicked } = menuOpts('linux', false);
    const items = flatten(buildAppMenu(opts));
    for (const id of ['about', 'settings', 'quit']) {
      const item = items.find((i) => i.id === id);
      assert.ok(item?.click, id);
      (item.click as () => void)();
    }
    assert.deepEqual(clicked, ['about', 'settings', 'quit']);
    assert.equal(items.find((i) => i.id === 'settings')!.label, 'Settings…');
  });

  it('uses the platform modifier for Settings and Quit', () => {
    const mac = flatten(buildAppMenu(menuOpts('darwin', false).opts));
    assert.equal(mac.find((i) => i.id === 'settings')!.accelerator, 'Command+,');
    assert.equal(mac.find((i) => i.id === 'quit')!.accelerator, 'Command+Q');
    const win = flatten(buildAppMenu(menuOpts('win32', false).opts));
    assert.equal(win.find((i) => i.id === 'quit')!.accelerator, 'Control+Q');
  });

  it('offers reload and DevTools only in development', () => {
    for (const platform of ['darwin', 'linux'] as const) {
      const prod = roles(buildAppMenu(menuOpts(platform, false).opts));
      for (const r of ['reload', 'forceReload', 'toggleDevTools']) assert.ok(!prod.includes(r as never), `${r} in production`);
      const dev = roles(buildAppMenu(menuOpts(platform, true).opts));
      for (const r of ['reload', 'forceReload', 'toggleDevTools']) assert.ok(dev.includes(r as never), `${r} in dev`);
    }
  });

  it('keeps the standard edit roles (copy/paste in inputs needs them on macOS)', () => {
    const r = roles(buildAppMenu(menuOpts('darwin', false).opts));
    for (const role of ['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll']) assert.ok(r.includes(role as never), role);
  });

  it('adds the macOS-only items only on macOS, and never role quit', () => {
    assert.ok(roles(buildAppMenu(menuOpts('darwin', false).opts)).includes('services'));
    assert.ok(!roles(buildAppMenu(menuOpts('linux', false).opts)).includes('services'));
    assert.ok(!roles(buildAppMenu(menuOpts('win32', false).opts)).includes('hide'));
    for (const p of ['darwin', 'linux'] as const) assert.ok(!roles(buildAppMenu(menuOpts(p, false).opts)).includes('quit'));
  });
});

describe('CSP', () => {
  it('production: scripts only from the app, no eval, no inline script, no plugins or frames', () => {
    assert.match(PRODUCTION_CSP, /default-src 'none'/);
    assert.match(PRODUCTION_CSP, /script-src 'self'(;|$)/);
    assert.doesNotMatch(PRODUCTION_CSP, /unsafe-eval/);
    assert.doesNotMatch(PRODUCTION_CSP, /script-src[^;]*unsafe-inline/);
    for (const d of ["object-src 'none'", "frame-src 'none'", "base-uri 'none'", "form-action 'none'"]) assert.ok(PRODUCTION_CSP.includes(d), d);
    assert.doesNotMatch(PRODUCTION_CSP, /frame-ancestors/, 'frame-ancestors is ignored in a meta tag');
  });

  it('dev: allows the Vite preamble and the HMR socket of the dev server only', () => {
    const csp = devCsp('http://localhost:5173/');
    assert.match(csp, /script-src 'self' 'unsafe-inline'/);
    assert.match(csp, /connect-src 'self' ws:\/\/localhost:5173(;|$)/);
    assert.doesNotMatch(csp, /unsafe-eval/);
    assert.match(devCsp('https://127.0.0.1:9000'), /wss:\/\/127\.0\.0\.1:9000/);
    assert.match(devCsp('::bad::'), /connect-src 'self';/);
  });

  it('header form adds frame-ancestors', () => {
    assert.equal(cspHeader(undefined), `${PRODUCTION_CSP}; frame-ancestors 'none'`);
    assert.ok(cspHeader('http://localhost:5173').includes('ws://localhost:5173'));
  });

  it('withCspHeader replaces any CSP, whatever its case, and keeps other headers', () => {
    const out = withCspHeader({ 'content-security-policy': ['default-src *'], 'Content-Type': 'text/html', 'X-A': ['1', '2'] }, 'X');
    assert.deepEqual(out, { 'Content-Type': ['text/html'], 'X-A': ['1', '2'], 'Content-Security-Policy': ['X'] });
    assert.deepEqual(withCspHeader(undefined, 'Y'), { 'Content-Security-Policy': ['Y'] });
  });
});

describe('isExternalUrl', () => {
  it('lets only plain http(s) links out to the browser', () => {
    for (const ok of ['https://docs.docker.com/', 'http://localhost:8080/', 'https://example.com/a?b=c#d']) assert.equal(isExternalUrl(ok), true, ok);
    for (const bad of [
      'file:///etc/passwd', 'javascript:alert(1)', 'data:text/html,x', 'smb://host/share', 'ms-msdt:/id', 'vbscript:x',
      'https://user:pw@example.com/', 'about:blank', 'chrome://settings', '', 'example.com', `https://e.com/${'a'.repeat(3000)}`,
    ]) assert.equal(isExternalUrl(bad), false, bad);
    assert.equal(isExternalUrl(undefined as unknown as string), false);
  });
});

describe('isPermissionAllowed', () => {
  const isApp = (url: string) => url.startsWith('file:///app/');
  it('allows only clipboard writes, and only to the app', () => {
    assert.equal(isPermissionAllowed('clipboard-sanitized-write', 'file:///app/index.html', isApp), true);
    assert.equal(isPermissionAllowed('clipboard-sanitized-write', 'https://evil.example/', isApp), false);
    assert.equal(isPermissionAllowed('clipboard-sanitized-write', undefined, isApp), false);
    for (const p of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal', 'hid', 'serial', 'fullscreen', 'pointerLock']) {
      assert.equal(isPermissionAllowed(p, 'file:///app/index.html', isApp), false, p);
    }
  });
});

class FakeLoginApp implements LoginItemApp {
  set: Array<Parameters<LoginItemApp['setLoginItemSettings']>[0]> = [];
  constructor(public state = { openAtLogin: false, wasOpenedAtLogin: false, wasOpenedAsHidden: false }) {}
  setLoginItemSettings(s: Parameters<LoginItemApp['setLoginItemSettings']>[0]): void {
    this.set.push(s);
    this.state.openAtLogin = s.openAtLogin;
  }
  reads: unknown[] = [];
  getLoginItemSettings(options?: { args?: string[] }) {
    this.reads.push(options);
    return this.state;
  }
}

describe('start at login', () => {
  it('macOS and Windows use setLoginItemSettings, only when it changes', async () => {
    const mac = new FakeLoginApp();
    assert.match(await applyStartAtLogin(mac, true, { platform: 'darwin', execPath: '/Applications/Wharf.app' }), /turned on/);
    assert.deepEqual(mac.set, [{ openAtLogin: true, openAsHidden: true }]);
    assert.match(await applyStartAtLogin(mac, true, { platform: 'darwin', execPath: 'x' }), /already on/);
    assert.equal(mac.set.length, 1);

    const win = new FakeLoginApp();
    await applyStartAtLogin(win, true, { platform: 'win32', execPath: 'C:\\Wharf\\Wharf.exe' });
    await applyStartAtLogin(win, false, { platform: 'win32', execPath: 'C:\\Wharf\\Wharf.exe' });
    assert.deepEqual(win.set, [{ openAtLogin: true, args: [HIDDEN_ARG] }, { openAtLogin: false, args: [HIDDEN_ARG] }]);
    assert.deepEqual(win.reads, [{ args: [HIDDEN_ARG] }, { args: [HIDDEN_ARG] }], 'Windows reads the entry back with the same args');
    assert.deepEqual(mac.reads, [undefined, undefined]);
  });

  it('Linux writes and removes an XDG autostart entry', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'wharf-autostart-'));
    try {
      const app = new FakeLoginApp();
      const env = { platform: 'linux' as const, execPath: '/opt/Wharf Apps/Wharf.AppImage', autostartDir: path.join(dir, 'autostart') };
      await applyStartAtLogin(app, true, env);
      const file = path.join(dir, 'autostart', 'dev.wharf.app.desktop');
      const text = await readFile(file, 'utf8');
      assert.match(text, /^\[Desktop Entry\]\n/);
      assert.match(text, /\nExec="\/opt\/Wharf Apps\/Wharf.AppImage" --hidden\n/);
      assert.equal((await stat(file)).mode & 0o777, 0o644);
      await applyStartAtLogin(app, false, env);
      await assert.rejects(stat(file), { code: 'ENOENT' });
      await applyStartAtLogin(app, false, env); // removing twice is fine
      assert.equal(app.set.length, 0, 'Electron has no login item API on Linux');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('quotes Exec arguments per the Desktop Entry spec', () => {
    assert.equal(desktopExecQuote('/usr/bin/wharf'), '/usr/bin/wharf');
    assert.equal(desktopExecQuote('/a b/c'), '"/a b/c"');
    assert.equal(desktopExecQuote('/a"$`\\/50%'), '"/a\\"\\$\\`\\\\/50%%"');
    assert.match(linuxAutostartEntry('/usr/bin/wharf'), /\nExec=\/usr\/bin\/wharf --hidden\n/);
  });

  it('finds the autostart dir from XDG_CONFIG_HOME', () => {
    assert.equal(linuxAutostartDir({ XDG_CONFIG_HOME: '/x/cfg' }), path.join('/x/cfg', 'autostart'));
    assert.equal(linuxAutostartDir({}), path.join(os.homedir(), '.config', 'autostart'));
  });

  it('a login launch stays hidden', () => {
    const app = new FakeLoginApp();
    assert.equal(launchedHidden(['/x/wharf', HIDDEN_ARG], app, 'linux'), true);
    assert.equal(launchedHidden(['/x/wharf'], app, 'linux'), false);
    assert.equal(launchedHidden(['/x/wharf'], new FakeLoginApp({ openAtLogin: true, wasOpenedAtLogin: true, wasOpenedAsHidden: false }), 'darwin'), true);
    assert.equal(launchedHidden(['/x/wharf'], new FakeLoginApp({ openAtLogin: true, wasOpenedAtLogin: true, wasOpenedAsHidden: false }), 'win32'), false);
  });
});

describe('graceful quit', () => {
  const never = () => new Promise<never>(() => {});

  it('stops the engine, then shuts the core down', async () => {
    const order: string[] = [];
    const report = await stopGracefully(
      { stopEngine: async () => { order.push('stop'); }, shutdown: async () => { order.push('shutdown'); } },
      { stopTimeoutMs: 1000, shutdownTimeoutMs: 1000 },
    );
    assert.deepEqual(order, ['stop', 'shutdown']);
    assert.deepEqual(report, { engine: 'done', shutdown: 'done' });
  });

  it('still shuts down when stopping hangs or fails, and says so', async () => {
    const logs: string[] = [];
    let shutdowns = 0;
    const hung = await stopGracefully(
      { stopEngine: never, shutdown: async () => { shutdowns++; } },
      { stopTimeoutMs: 20, shutdownTimeoutMs: 1000, log: (m) => logs.push(m) },
    );
    assert.deepEqual(hung, { engine: 'timeout', shutdown: 'done' });
    const failed = await stopGracefully(
      { stopEngine: async () => { throw new Error('qmp gone'); }, shutdown: async () => { shutdowns++; } },
      { stopTimeoutMs: 1000, shutdownTimeoutMs: 1000, log: (m) => logs.push(m) },
    );
    assert.deepEqual(failed, { engine: 'failed', shutdown: 'done' });
    assert.equal(shutdowns, 2);
    assert.ok(logs.some((l) => /did not stop within 20 ms/.test(l)));
    assert.ok(logs.some((l) => /qmp gone/.test(l)));
  });

  it('gives up on a hung shutdown too', async () => {
    const started = Date.now();
    const report = await stopGracefully({ stopEngine: never, shutdown: never }, { stopTimeoutMs: 20, shutdownTimeoutMs: 20 });
    assert.deepEqual(report, { engine: 'timeout', shutdown: 'timeout' });
    assert.ok(Date.now() - started < 1000);
  });

  it('bounded never rejects and clears its timer', async () => {
    assert.equal(await bounded(async () => 1, 10_000), 'done');
    assert.equal(await bounded(() => Promise.reject(new Error('x')), 10_000), 'failed');
    // If the timer leaked, node:test would report this file as still running for 10 s.
  });
});
