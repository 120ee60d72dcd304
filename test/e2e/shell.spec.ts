import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { AppShell } from './pages/app-shell.js';
import { ContainersPage } from './pages/containers-page.js';
import { docker, readState, removeContainers, repoRoot, uniqueName } from './support/env.js';
import { startExtraDashboard } from './support/extra-dashboard.js';

/** The app shell: navigation by keyboard, the engine status bar, themes, and the dashboard's lost-connection banner. */
test.describe('App shell', () => {
  test('the status bar shows the running engine and its VM memory', async ({ page }) => {
    const shell = new AppShell(page);
    await shell.load();
    await shell.waitForEngineRunning();
    await expect(shell.statusBar).toContainText(/VM memory \d/);
    await expect(shell.statusBar.getByRole('button', { name: 'Restart engine', exact: true })).toBeEnabled();
    await expect(shell.statusBar.getByRole('button', { name: 'Start engine', exact: true })).toHaveCount(0);
  });

  test('every view is reachable by keyboard alone', async ({ page }) => {
    const shell = new AppShell(page);
    await shell.load();
    await shell.waitForEngineRunning();
    for (const view of ['Images', 'Volumes', 'Settings', 'Containers'] as const) {
      await shell.navLink(view).focus();
      await expect(shell.navLink(view)).toBeFocused();
      await page.keyboard.press('Enter');
      await expect(shell.navLink(view)).toHaveAttribute('aria-current', 'page');
      await expect(page.getByRole('heading', { level: 1, name: new RegExp(view) })).toBeVisible();
    }
    // Tab order starts at the skip link, then the navigation.
    await page.reload();
    await expect(shell.nav).toBeVisible();
    await page.keyboard.press('Tab');
    await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(shell.navLink('Containers')).toBeFocused();
  });

  test('detail tabs follow the arrow keys', async ({ page }) => {
    const { localImage } = readState();
    const name = uniqueName('e2e-tabs');
    await docker(['run', '-d', '--name', name, localImage, 'sleep', '3600']);
    try {
      const containers = new ContainersPage(page);
      await containers.open();
      await expect(containers.row(name)).toBeVisible({ timeout: 30_000 });
      await containers.openDetail(name);
      const tabs = page.getByRole('tablist', { name: 'Container details' });
      await tabs.getByRole('tab', { name: 'Logs' }).focus();
      await page.keyboard.press('ArrowRight');
      await expect(tabs.getByRole('tab', { name: 'Inspect' })).toBeFocused();
      await expect(tabs.getByRole('tab', { name: 'Inspect' })).toHaveAttribute('aria-selected', 'true');
      // End selects the last tab, whichever it is; Files was added after Terminal.
      const all = tabs.getByRole('tab');
      await page.keyboard.press('End');
      await expect(all.last()).toHaveAttribute('aria-selected', 'true');
      await expect(all.last()).toBeFocused();
      await page.keyboard.press('Home');
      await expect(tabs.getByRole('tab', { name: 'Logs' })).toHaveAttribute('aria-selected', 'true');
    } finally {
      await removeContainers(name);
    }
  });

  for (const scheme of ['light', 'dark'] as const) {
    test(`follows the OS ${scheme} theme`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
      const shell = new AppShell(page);
      await shell.load();
      const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      const [r, g, b] = (bg.match(/\d+/g) ?? []).map(Number);
      const luminance = ((r ?? 0) + (g ?? 0) + (b ?? 0)) / 3;
      if (scheme === 'dark') expect(luminance).toBeLessThan(60);
      else expect(luminance).toBeGreaterThan(200);
    });
  }

  test('every view in light and dark, as screenshots for a person to look at', async ({ page }, info) => {
    test.setTimeout(6 * 60_000);
    const { localImage } = readState();
    const name = uniqueName('e2e-shot');
    await docker(['run', '-d', '--name', name, '-p', '18083:80', localImage, 'sh', '-c', 'echo "web: serving /www on :80"; exec httpd -f -vv -p 80 -h /www']);
    // A few requests through the published port, so the logs have something to show.
    for (let i = 0; i < 3; i++) await fetch('http://127.0.0.1:18083/').catch(() => undefined);
    const dir = path.join(repoRoot, 'test-results', 'screenshots');
    fs.mkdirSync(dir, { recursive: true });
    try {
      const shell = new AppShell(page);
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        for (const [label, hash] of [
          ['containers', '#/containers'],
          ['images', '#/images'],
          ['volumes', '#/volumes'],
          ['settings', '#/settings'],
          ['logs', `#/containers/${name}/logs`],
          ['inspect', `#/containers/${name}/inspect`],
          ['stats', `#/containers/${name}/stats`],
          ['terminal', `#/containers/${name}/terminal`],
        ] as const) {
          await shell.load(hash);
          await shell.waitForEngineRunning();
          if (label === 'terminal') await expect(page.getByTestId('terminal')).toContainText('/ #', { timeout: 20_000 });
          if (label === 'logs') await expect(page.getByRole('log')).toContainText('serving', { timeout: 20_000 });
          await page.waitForTimeout(label === 'stats' ? 5000 : 1000);
          const file = path.join(dir, `${label}-${scheme}.png`);
          await page.screenshot({ path: file });
          await info.attach(`${label}-${scheme}`, { path: file, contentType: 'image/png' });
        }
      }
    } finally {
      await removeContainers(name);
    }
  });

  test('one-click Restart shows the boot screen driven by bootProgress, then the views again', async ({ page }, info) => {
    test.setTimeout(15 * 60_000);
    const shell = new AppShell(page);
    await shell.load('#/containers');
    await shell.waitForEngineRunning();
    await shell.statusBar.getByRole('button', { name: 'Restart engine', exact: true }).click();
    await expect(shell.engineState).toHaveText(/Engine (stopping|stopped|starting)/, { timeout: 60_000 });
    const bar = page.getByRole('progressbar', { name: 'Engine start progress' });
    await expect(bar).toBeVisible({ timeout: 5 * 60_000 });
    const milestones = page.getByRole('list', { name: 'Boot milestones reached' });
    await expect(milestones.getByRole('listitem').first()).toBeVisible({ timeout: 5 * 60_000 });
    const file = path.join(repoRoot, 'test-results', 'screenshots', 'boot.png');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await page.screenshot({ path: file });
    await info.attach('boot', { path: file, contentType: 'image/png' });
    expect(Number(await bar.getAttribute('aria-valuenow'))).toBeGreaterThan(0);
    await shell.waitForEngineRunning(10 * 60_000);
    await expect(page.getByRole('heading', { level: 1, name: /Containers/ })).toBeVisible({ timeout: 60_000 });
    expect(await docker(['info', '--format', '{{.ServerVersion}}'])).toMatch(/\d+\.\d+/);
  });

  test('a dashboard that goes away shows the lost-connection banner', async ({ browser }) => {
    // A second dashboard of the same core, so the shared one keeps serving the other tests.
    const { child, url } = await startExtraDashboard(readState().home);
    try {
      const context = await browser.newContext({ storageState: undefined });
      const page = await context.newPage();
      await page.goto(url);
      const shell = new AppShell(page);
      await expect(shell.nav).toBeVisible();
      await expect(shell.engineState).toHaveText(/Engine/, { timeout: 30_000 });
      await expect(shell.connectionLost).toHaveCount(0);
      child.kill('SIGTERM');
      await expect(shell.connectionLost).toBeVisible({ timeout: 30_000 });
      await context.close();
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
