import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import { repoRoot } from './support/env.js';
import { startExtraDashboard } from './support/extra-dashboard.js';
import { SettingsPage } from './pages/settings-page.js';

const run = promisify(execFile);
const wharf = path.join(repoRoot, 'bin', 'wharf.mjs');
const standin = path.join(repoRoot, 'test/support/wsl-standin/wsl.exe');

/*
 * Settings under backend=wsl, in the real browser against a real core whose
 * WSL backend is the test stand-in (no engine needs to run for these tabs).
 * Resources says CPUs and memory are .wslconfig's, writes nothing until the
 * consent box is ticked, then writes the user's file keeping everything else
 * and leaving a backup; Virtualization offers WSL 2 and QEMU; the status bar
 * names the backend.
 */
test('under WSL 2: Resources writes .wslconfig only with consent, keeping the user\'s file; Virtualization and the status bar name WSL 2', async ({ browser }) => {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'wharf-e2e-wsl-'));
  const home = path.join(base, 'home');
  const wslconfig = path.join(base, 'profile', '.wslconfig');
  fs.mkdirSync(path.dirname(wslconfig), { recursive: true });
  const original = '\uFEFF# my WSL\r\n[wsl2]\r\nmemory=6GB\r\nguiApplications=false\r\n\r\n[experimental]\r\nsparseVhd=true\r\n';
  fs.writeFileSync(wslconfig, original);
  const env = {
    WHARF_HOME: home, WHARF_WSL_EXE: standin, WHARF_WSLCONFIG: wslconfig,
    WSL_STANDIN_ROOT: path.join(base, 'standin'), WSL_STANDIN_DRIVE_C: path.join(base, 'drive-c'),
  };
  fs.mkdirSync(env.WSL_STANDIN_DRIVE_C, { recursive: true });
  const { stdout: set } = await run(process.execPath, [wharf, 'set', 'backend=wsl'], { env: { ...process.env, ...env }, timeout: 60_000 });
  expect(set).toMatch(/Saved: backend/);
  // The core `wharf set` started may still serve the dashboard: stopped, it names the saved backend.
  const { child, url } = await startExtraDashboard(home, env);
  try {
    const context = await browser.newContext({ storageState: undefined, colorScheme: 'light', viewport: { width: 1280, height: 1150 } });
    const page = await context.newPage();
    await page.goto(url);
    await expect(page.getByTestId('engine-backend')).toHaveText('Engine: WSL 2');
    const settings = new SettingsPage(page);
    await settings.open();
    await settings.selectTab('Resources');

    const note = settings.panel.getByTestId('hostwide-note');
    await expect(note).toContainText('not Wharf\'s own');
    await expect(note).toContainText(wslconfig);
    await expect(note).toContainText('every WSL 2 distribution on this computer');
    await expect(note).toContainText('memory 6GB');
    await expect(settings.panel.getByRole('spinbutton', { name: 'Disk size (GiB)' })).toHaveCount(0);
    await expect(settings.panel.getByTestId('hostwide-effect')).toContainText('Wharf never runs wsl --shutdown');
    await page.screenshot({ path: test.info().outputPath('wsl-resources.png'), fullPage: true });

    await settings.setNumber('CPUs', 1);
    await settings.setNumber('Memory', 2048);
    await settings.setNumber('Swap', 0);
    const write = settings.panel.getByRole('button', { name: 'Write to .wslconfig' });
    await expect(write).toBeDisabled();
    expect(fs.readFileSync(wslconfig, 'utf8')).toBe(original);
    await settings.panel.getByRole('checkbox', { name: 'Let Wharf change .wslconfig' }).check();
    await write.click();
    await expect(settings.panel.getByTestId('hostwide-result')).toContainText('Wrote processors=1, memory=2GB, swap=0');
    await expect(note).toContainText('processors 1, memory 2GB, swap 0');
    expect(fs.readFileSync(wslconfig, 'utf8')).toBe('\uFEFF# my WSL\r\n[wsl2]\r\nmemory=2GB\r\nguiApplications=false\r\nprocessors=1\r\nswap=0\r\n\r\n[experimental]\r\nsparseVhd=true\r\n');
    const backups = fs.readdirSync(path.dirname(wslconfig)).filter((f) => f.startsWith('.wslconfig.wharf-backup-'));
    expect(backups).toHaveLength(1);
    expect(fs.readFileSync(path.join(path.dirname(wslconfig), backups[0]!), 'utf8')).toBe(original);
    // The box is a yes for these values only: it is clear again after writing.
    await expect(settings.panel.getByRole('checkbox', { name: 'Let Wharf change .wslconfig' })).not.toBeChecked();
    await page.screenshot({ path: test.info().outputPath('wsl-resources-written.png'), fullPage: true });

    await settings.selectTab('Virtualization');
    const engine = settings.panel.getByRole('group', { name: 'Engine' });
    await expect(engine.getByRole('radio', { name: 'WSL 2' })).toBeChecked();
    await expect(engine.getByRole('radio', { name: 'QEMU' })).toBeEnabled();
    await expect(settings.panel.getByRole('group', { name: 'CPU virtualization' })).toHaveCount(0);
    await page.screenshot({ path: test.info().outputPath('wsl-virtualization.png'), fullPage: true });
    await context.close();
  } finally {
    child.kill('SIGTERM');
    await run(process.execPath, [wharf, 'stop'], { env: { ...process.env, ...env }, timeout: 60_000 }).catch(() => undefined);
    await run(standin, ['--standin-teardown'], { env: { ...process.env, ...env }, timeout: 60_000 }).catch(() => undefined);
    fs.rmSync(base, { recursive: true, force: true });
  }
});
