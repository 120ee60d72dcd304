import { expect, test } from '@playwright/test';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { SettingsPage } from './pages/settings-page.js';
import { readState, repoRoot } from './support/env.js';

const run = promisify(execFile);
const wharfBin = path.join(repoRoot, 'bin', 'wharf.mjs');
const shots = path.join(repoRoot, 'test-results', 'screenshots');

test.describe.configure({ mode: 'serial' });

/** Settings → Resources → Proxies and → Resource Saver, against the real core. */
test.describe('Proxies and Resource Saver settings', () => {
  const get = async (key: string) => (await run(process.execPath, [wharfBin, 'get', key], { env: process.env, timeout: 60_000 })).stdout.trim();

  test.afterAll(async () => {
    await run(process.execPath, [wharfBin, 'set', 'containerHttpProxy=', 'containerNoProxy=', 'resourceSaverMinutes=0'], { env: process.env, timeout: 60_000 }).catch(() => undefined);
  });

  test('a bad proxy URL is marked; container proxies apply without a restart and land in the CLI config', async ({ page }) => {
    const settings = new SettingsPage(page);
    await settings.open();
    await settings.tablist.getByRole('tab', { name: 'Proxies' }).click();
    const http = settings.panel.getByRole('textbox', { name: 'Containers: HTTP proxy' });
    await http.fill('proxy.corp:3128');
    await expect(settings.panel.getByRole('alert').filter({ hasText: /http:\/\/, https:\/\/ or socks5/ })).toBeVisible();
    await expect(settings.panel.getByRole('button', { name: 'Apply' })).toBeDisabled();
    fs.mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: path.join(shots, 'settings-proxies-invalid.png'), fullPage: true });
    await http.fill('http://127.0.0.1:3128');
    await settings.panel.getByRole('textbox', { name: 'Containers: bypass the proxy for' }).fill('localhost, .corp.example');
    await expect(settings.panel.getByTestId('apply-plan')).toContainText(/Nothing needs to restart/, { timeout: 20_000 });
    await page.screenshot({ path: path.join(shots, 'settings-proxies.png'), fullPage: true });
    await settings.panel.getByRole('button', { name: 'Apply' }).click();
    const dialog = page.getByRole('dialog');
    if (await dialog.isVisible().catch(() => false)) await dialog.getByRole('button', { name: /Apply/ }).click();
    await expect.poll(() => get('containerHttpProxy'), { timeout: 20_000 }).toBe('http://127.0.0.1:3128');
    expect(await get('containerNoProxy')).toBe('localhost,.corp.example');
    const cfg = JSON.parse(fs.readFileSync(path.join(readState().workDir, 'docker-config', 'config.json'), 'utf8')) as { proxies?: { default?: unknown } };
    expect(cfg.proxies?.default).toEqual({ httpProxy: 'http://host.docker.internal:3128', noProxy: 'localhost,.corp.example' });
    await expect(settings.panel.getByRole('textbox', { name: 'Docker Engine: HTTP proxy' })).toHaveValue('');
  });

  test('Resource Saver: minutes are checked, saved without a restart, and can be turned off', async ({ page }) => {
    const settings = new SettingsPage(page);
    await settings.open();
    await settings.tablist.getByRole('tab', { name: 'Resource Saver' }).click();
    const enabled = settings.panel.getByRole('checkbox', { name: 'Enable Resource Saver' });
    // The global setup turned it off; turning it on offers Docker Desktop's 5 minutes.
    await expect(enabled).not.toBeChecked();
    await enabled.check();
    const minutes = settings.panel.getByRole('spinbutton', { name: 'Stop the VM after (minutes idle)' });
    await expect(minutes).toHaveValue('5');
    await minutes.fill('0');
    await expect(settings.panel.getByRole('alert').filter({ hasText: /Between 1 and 1440/ })).toBeVisible();
    await minutes.fill('7');
    await page.screenshot({ path: path.join(shots, 'settings-resource-saver.png'), fullPage: true });
    await settings.panel.getByRole('button', { name: 'Apply' }).click();
    const dialog = page.getByRole('dialog');
    if (await dialog.isVisible().catch(() => false)) await dialog.getByRole('button', { name: /Apply/ }).click();
    await expect.poll(() => get('resourceSaverMinutes'), { timeout: 20_000 }).toBe('7');
    await enabled.uncheck();
    await settings.panel.getByRole('button', { name: 'Apply' }).click();
    if (await dialog.isVisible().catch(() => false)) await dialog.getByRole('button', { name: /Apply/ }).click();
    await expect.poll(() => get('resourceSaverMinutes'), { timeout: 20_000 }).toBe('0');
  });
});
