import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';

/**
 * Smoke test of the packaged-layout Electron app (out/ built by electron-vite):
 * the window comes up titled "Wharf", hardened, with window.wharf and the
 * engine status bar; closing the window hides it; quitting exits.
 *
 * Where no Electron binary can run (its npm package installs, but the binary
 * is downloaded separately and may be missing or broken), the test is skipped
 * and says why instead of failing.
 */
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Where the electron npm package keeps its binary, found the way its index.js
 * does but without calling it: on a missing binary, require('electron') now
 * tries to download one (slow, noisy, and writes into node_modules).
 */
function electronBinary(): { exe?: string; problem?: string } {
  let pkgDir: string;
  try {
    pkgDir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { problem: 'the electron npm package is not installed' };
  }
  const pathFile = path.join(pkgDir, 'path.txt');
  const rel = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) return { exe: path.join(process.env.ELECTRON_OVERRIDE_DIST_PATH, rel || 'electron') };
  if (!rel) return { problem: `${pathFile} is missing: the Electron binary was never downloaded (npm installs the package, the binary comes from elsewhere)` };
  return { exe: path.join(pkgDir, 'dist', rel) };
}

/** Why Electron cannot run here, or undefined when it can. */
function electronUnavailable(exe: string | undefined, problem: string | undefined): string | undefined {
  if (problem || !exe) return problem ?? 'no Electron binary';
  if (!existsSync(exe)) return `${exe} does not exist`;
  const probe = spawnSync(exe, ['--version'], {
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  });
  if (probe.error) return `spawning ${exe} failed: ${probe.error.message}`;
  if (probe.status !== 0) return `${exe} --version exited with ${probe.status ?? probe.signal}: ${(probe.stderr || probe.stdout).trim().split('\n')[0]}`;
  return undefined;
}

function displayUnavailable(): string | undefined {
  if (process.platform !== 'linux') return undefined;
  if (process.env.DISPLAY || process.env.WAYLAND_DISPLAY) return undefined;
  return 'no X11 or Wayland display (run under xvfb-run)';
}

const binary = electronBinary();
const noElectron = electronUnavailable(binary.exe, binary.problem);
const noDisplay = noElectron ? undefined : displayUnavailable();

test.describe('Electron app', () => {
  test.skip(noElectron !== undefined, `Electron binary not available on this machine: ${noElectron}`);
  test.skip(noDisplay !== undefined, `Electron cannot open a window here: ${noDisplay}`);
  test.describe.configure({ mode: 'serial', timeout: 180_000 });

  let app: ElectronApplication;
  let page: Page;
  let home: string;
  const logs: string[] = [];

  test.beforeAll(async () => {
    if (!existsSync(path.join(repo, 'out/main/index.js')) || !existsSync(path.join(repo, 'out/preload/index.cjs'))) {
      execFileSync(process.execPath, [path.join(repo, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], { cwd: repo, stdio: 'inherit' });
    }
    home = mkdtempSync(path.join(os.tmpdir(), 'wharf-e2e-electron-'));
    app = await electron.launch({
      // Explicit, so Playwright does not require('electron') (which may try to download).
      executablePath: binary.exe,
      cwd: repo,
      // Chromium refuses to run as root with its OS sandbox (CI containers); the renderer keeps sandbox: true.
      args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), '.'],
      env: { ...process.env, WHARF_HOME: home, WHARF_NO_AUTOSTART: '1', ELECTRON_ENABLE_LOGGING: '1' },
      timeout: 60_000,
    });
    app.process().stdout?.on('data', (d: Buffer) => logs.push(d.toString()));
    app.process().stderr?.on('data', (d: Buffer) => logs.push(d.toString()));
    page = await app.firstWindow();
  });

  test.afterAll(async () => {
    await app?.close().catch(() => {});
    if (home) rmSync(home, { recursive: true, force: true });
  });

  // Playwright needs the fixtures argument destructured, even when no fixture is used.
  // eslint-disable-next-line no-empty-pattern
  test.afterEach(async ({}, info) => {
    if (info.status !== info.expectedStatus) await info.attach('main-process.log', { body: logs.join(''), contentType: 'text/plain' });
  });

  test('opens one window titled Wharf, hardened', async () => {
    const titles = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().map((w) => w.getTitle()));
    expect(titles).toEqual(['Wharf']);
    // No Node in the page (contextIsolation on, nodeIntegration off).
    expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    expect(await page.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
    // The OS sandbox of renderers, where Electron reports it (macOS, Windows).
    const renderers = await app.evaluate(({ app: a }) => a.getAppMetrics().filter((m) => m.type === 'Tab').map((m) => m.sandboxed));
    for (const sandboxed of renderers) if (sandboxed !== undefined) expect(sandboxed).toBe(true);
    // Links that try to open windows are denied (http(s) ones go to the browser instead).
    const opened = await page.evaluate(() => window.open('about:blank') === null);
    expect(opened).toBe(true);
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
  });

  test('exposes only call and listen on window.wharf', async () => {
    const keys = await page.evaluate(() => Object.keys((window as unknown as { wharf?: object }).wharf ?? {}).sort());
    expect(keys).toEqual(['call', 'listen']);
    const refused = await page.evaluate(() => (window as unknown as { wharf: { call(m: string, a: unknown[]): Promise<{ ok: boolean }> } }).wharf.call('not.a.method', []));
    expect(refused.ok).toBe(false);
  });

  test('shows the engine status', async () => {
    const status = page.getByTestId('engine-state');
    await expect(status).toBeVisible({ timeout: 30_000 });
    await expect(status).toHaveText(/Engine (stopped|starting|running|stopping|error)|Engine status unavailable/, { timeout: 30_000 });
    const status2 = await page.evaluate(async () => {
      const res = await (window as unknown as { wharf: { call(m: string, a: unknown[]): Promise<{ ok: boolean; result?: { vm?: { state?: string } } }> } }).wharf.call('engine.status', []);
      return res.ok ? res.result?.vm?.state : 'call failed';
    });
    expect(['stopped', 'starting', 'running', 'stopping', 'error']).toContain(status2);
  });

  test('closing the window hides it and keeps the app running', async () => {
    await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.close());
    const after = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().map((w) => ({ visible: w.isVisible(), destroyed: w.isDestroyed() })));
    expect(after).toEqual([{ visible: false, destroyed: false }]);
  });

  test('quit exits the process', async () => {
    const exited = new Promise<number | null>((resolve) => app.process().once('exit', (code) => resolve(code)));
    await app.evaluate(({ app: electronApp }) => electronApp.quit());
    expect(await exited).toBe(0);
  });
});
