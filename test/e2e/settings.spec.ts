import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import type { Settings } from '../../src-main/core/contract/index.js';
import { dockerInfo, SettingsPage } from './pages/settings-page.js';
import { docker, readState, repoRoot } from './support/env.js';

const run = promisify(execFile);

/** The saved settings, as the core has them (`wharf get --json`). */
async function savedSettings(): Promise<Settings> {
  const { stdout } = await run(process.execPath, [path.join(repoRoot, 'bin', 'wharf.mjs'), 'get', '--json'], {
    env: { ...process.env, WHARF_HOME: readState().home }, timeout: 60_000,
  });
  return JSON.parse(stdout) as Settings;
}

async function setSettings(...assignments: string[]): Promise<void> {
  await run(process.execPath, [path.join(repoRoot, 'bin', 'wharf.mjs'), 'set', ...assignments], {
    env: { ...process.env, WHARF_HOME: readState().home }, timeout: 60_000,
  });
}

/**
 * Settings end to end against the real core (started by the global setup):
 * what the user changes in the dashboard reaches the VM, as `docker info`
 * through Wharf's socket shows. The restarts boot a real guest, so these are slow.
 */
test.describe.configure({ mode: 'serial' });

test.describe('Settings', () => {
  test('tabs are a keyboard-operable tablist', async ({ page }) => {
    const settings = new SettingsPage(page);
    await settings.open();
    await settings.tab('General').click();
    await settings.tab('General').press('ArrowDown');
    await expect(settings.tab('Resources')).toBeFocused();
    await expect(settings.tab('Resources')).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('End');
    await expect(settings.tab('Troubleshoot')).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('ArrowDown');
    await expect(settings.tab('General')).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('ArrowUp');
    await expect(settings.tab('Troubleshoot')).toHaveAttribute('aria-selected', 'true');
    await expect(settings.panel).toHaveAttribute('aria-labelledby', (await settings.tab('Troubleshoot').getAttribute('id'))!);
  });

  test('Resources: a disk shrink is refused with the reason; unchanged means Apply is disabled', async ({ page }) => {
    const settings = new SettingsPage(page);
    await settings.open();
    await settings.selectTab('Resources');
    await expect(settings.applyButton).toBeDisabled();
    const disk = await settings.value('Disk size');
    await settings.number('Disk size').fill(String(disk - 1));
    await expect(settings.panel.getByRole('alert')).toContainText('only grows');
    await expect(settings.number('Disk size')).toHaveAttribute('aria-invalid', 'true');
    await expect(settings.applyButton).toBeDisabled();
    await settings.panel.getByRole('button', { name: 'Discard changes' }).click();
    await expect(settings.number('Disk size')).toHaveValue(String(disk));
    await expect(settings.applyButton).toBeDisabled();
  });

  test('File sharing: the core\'s reasons for refusing a directory are shown', async ({ page }) => {
    const settings = new SettingsPage(page);
    await settings.open();
    await settings.selectTab('File sharing');
    await settings.addShare('relative/path');
    await expect(settings.panel.getByRole('alert')).toContainText('absolute path');
    await settings.addShare('/definitely/not/here/wharf-e2e');
    await expect(settings.panel.getByRole('alert')).toBeVisible();
    await expect(settings.panel.getByRole('alert')).not.toBeEmpty();
    await settings.addShare('/etc/hostname');
    await expect(settings.panel.getByRole('alert')).toBeVisible();
    await expect(settings.panel.getByRole('listitem').filter({ hasText: '/etc/hostname' })).toHaveCount(0);
  });

  test('dialogs trap focus and close on Escape', async ({ page }) => {
    const settings = new SettingsPage(page);
    await settings.open();
    await settings.selectTab('Troubleshoot');
    const reset = settings.panel.getByRole('button', { name: 'Reset to factory defaults' });
    await reset.click();
    const dialog = settings.dialog;
    await expect(dialog).toBeVisible();
    await expect(dialog).toHaveAccessibleName('Reset to factory defaults?');
    for (const gone of ['the VM', 'disk', 'certificates', 'settings', 'docker context']) await expect(dialog).toContainText(gone);
    await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab');
      expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
    }
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
    await expect(reset).toBeFocused();
  });

  test('Resources: change CPUs and memory, see the plan, apply & restart; docker info shows the new values', async ({ page }) => {
    test.setTimeout(12 * 60_000);
    const settings = new SettingsPage(page);
    await settings.open();
    await settings.selectTab('Resources');

    const cpus = await settings.value('CPUs');
    const cpuMax = Number(await settings.slider('CPUs').getAttribute('max'));
    const memory = await settings.value('Memory');
    const memMax = Number(await settings.slider('Memory').getAttribute('max'));
    const newCpus = cpus < cpuMax ? cpus + 1 : cpus - 1;
    // A 2 GiB step: far more than the few hundred MiB the guest kernel keeps for itself.
    const newMemory = memory - 2048 >= 1024 ? memory - 2048 : Math.min(memMax - (memMax % 256), memory + 2048);
    test.skip(newCpus < 1 || newMemory === memory, 'this host is too small to change CPUs and memory');

    await settings.setNumber('CPUs', newCpus);
    await settings.slider('Memory').fill(String(newMemory));
    await expect(settings.number('Memory')).toHaveValue(String(newMemory));
    await expect(settings.plan).toContainText('The VM restarts');

    await settings.applyButton.click();
    await expect(settings.dialog).toBeVisible();
    await expect(settings.dialog).toContainText(`CPUs: ${cpus} → ${newCpus}`);
    await expect(settings.dialog.getByTestId('confirm-plan')).toContainText('The VM restarts');
    await settings.dialog.getByRole('button', { name: 'Apply & restart' }).click();
    await expect(settings.panel.getByRole('status').filter({ hasText: /Saving|Stopping|Starting|Restarting/ })).toBeVisible();
    await settings.waitApplied();
    await expect(settings.applyButton).toBeDisabled();

    const info = await dockerInfo();
    expect(info.NCPU).toBe(newCpus);
    // The guest kernel keeps some memory for itself, so MemTotal is a little under what the VM got.
    const mib = info.MemTotal / 1024 / 1024;
    expect(mib).toBeLessThanOrEqual(newMemory);
    expect(mib).toBeGreaterThan(newMemory - 1024);
    expect(Math.abs(mib - newMemory)).toBeLessThan(Math.abs(mib - memory));
  });

  test('Docker Engine: invalid JSON is refused in the UI; {"debug": true} applies and docker info shows Debug Mode', async ({ page }) => {
    test.setTimeout(10 * 60_000);
    const settings = new SettingsPage(page);
    await settings.open();
    await settings.selectTab('Docker Engine');

    await settings.daemonJson.fill('{\n  "debug": tru\n}');
    await expect(settings.daemonJsonErrors).toBeVisible();
    await expect(settings.daemonJson).toHaveAttribute('aria-invalid', 'true');
    await expect(settings.applyButton).toBeDisabled();

    await settings.daemonJson.fill('{\n  "debugg": true\n}');
    await expect(settings.daemonJsonErrors).toContainText('debug');
    await expect(settings.applyButton).toBeDisabled();

    // Keep what the setup put there (the test registry) and flip only "debug".
    await settings.panel.getByRole('button', { name: 'Discard changes' }).click();
    const current = JSON.parse(await settings.daemonJson.inputValue()) as Record<string, unknown>;
    const before = await dockerInfo();
    const want = !before.Debug;
    await settings.daemonJson.fill(JSON.stringify({ ...current, debug: want }, null, 2));
    await expect(settings.panel.getByText('Valid daemon.json.')).toBeVisible();
    await expect(settings.applyButton).toBeEnabled();
    await expect(settings.plan).toContainText('restarts');
    await settings.applyAndConfirm(/restarts/);
    await settings.waitApplied();

    const after = await dockerInfo();
    expect(after.Debug).toBe(want);
  });

  test('File sharing: a synchronized folder inside a shared directory is applied, synced and removed; one outside is refused', async ({ page }) => {
    test.setTimeout(20 * 60_000);
    const before = await savedSettings();
    const tmp = fs.realpathSync(os.tmpdir());
    test.skip(before.fileShares.some((s) => tmp === s || tmp.startsWith(s.endsWith('/') ? s : `${s}/`)), 'the temp directory is already shared');
    const base = fs.mkdtempSync(path.join(tmp, 'wharf-e2e-synced-'));
    const share = path.join(base, 'share');
    const proj = path.join(share, 'proj');
    const outside = path.join(base, 'outside');
    // A small node_modules-like tree: the row reports the real file count once the first copy is done.
    const FILES = 24;
    for (let i = 0; i < FILES; i++) {
      const dir = path.join(proj, 'node_modules', `pkg${i % 4}`);
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, `f${i}.js`), `module.exports = ${i};\n`);
    }
    fs.mkdirSync(outside);
    let clean = false;
    try {
      const settings = new SettingsPage(page);
      await settings.open();
      await settings.selectTab('File sharing');
      await expect(settings.syncedTable).toHaveCount(0);

      // Outside every shared directory: refused before anything is saved, saying what to do.
      await settings.addSynced(outside);
      await expect(settings.panel.getByRole('alert')).toContainText(`${outside} is not inside a shared directory`);
      await expect(settings.syncPath).toHaveAccessibleDescription(/add a shared directory that contains it first/);
      await expect(settings.syncPath).toHaveAttribute('aria-invalid', 'true');
      await expect(settings.syncedTable).toHaveCount(0);

      // Share the parent (not applied yet), then sync the project folder inside it.
      await settings.addShare(share);
      await expect(settings.removeShareButton(share)).toBeVisible();
      await settings.addSynced(proj);
      await expect(settings.syncedRow(proj)).toContainText('Applies after restart');
      await expect(settings.syncedRow(proj)).toContainText('new');
      await expect(settings.syncPath).toHaveValue('');
      await expect(settings.syncedTable.getByRole('columnheader')).toHaveText(['Folder', 'State', 'Actions']);
      // A folder inside it is refused too: the outer one already syncs it.
      await settings.addSynced(path.join(proj, 'node_modules'));
      await expect(settings.panel.getByRole('alert')).toContainText(`is inside ${proj}, which is already synchronized`);
      await expect(settings.syncedTable.getByRole('row')).toHaveCount(2);

      await expect(settings.plan).toContainText('The VM restarts');
      await settings.applyButton.click();
      await expect(settings.dialog).toContainText('Synchronized folders: 0 folders → 1 folder');
      await expect(settings.dialog).toContainText(`Shared directories: ${before.fileShares.length} `);
      await expect(settings.dialog.getByTestId('confirm-plan')).toContainText('The VM restarts');
      await settings.dialog.getByRole('button', { name: 'Apply & restart' }).click();
      await settings.waitApplied();

      const saved = await savedSettings();
      expect(saved.syncedShares).toEqual([proj]);
      expect(saved.fileShares).toEqual([...before.fileShares, share]);
      // The guest makes the first copy after the boot; the row follows the engine's status.
      await expect(settings.syncedRow(proj)).toContainText(`Ready — ${FILES} files, first sync`, { timeout: 5 * 60_000 });
      await expect(settings.syncedRow(proj)).not.toContainText('new');
      // A container's bind mount of it is the copy on the VM's disk, with the whole tree.
      const seen = await docker(['run', '--rm', '-v', `${proj}:/w`, readState().localImage, 'sh', '-c', 'find /w -type f | wc -l; grep " /w " /proc/mounts']);
      const [count, mount] = seen.split('\n');
      expect(Number(count)).toBe(FILES);
      expect(mount).toMatch(/ \/w ext4 /);
      await page.setViewportSize({ width: 1280, height: 1500 });
      await settings.panel.screenshot({ path: test.info().outputPath('file-sharing-synced.png') });
      await page.setViewportSize({ width: 1280, height: 800 });

      // Removing the shared directory first: the synced folder inside it is flagged and Apply waits for it to go too.
      await settings.removeShareButton(share).click();
      await expect(settings.panel.getByTestId('synced-outside-shares')).toContainText(`${proj} is no longer inside a shared directory`);
      await expect(settings.syncedRow(proj)).toContainText('Not inside a shared directory');
      await expect(settings.applyButton).toBeDisabled();
      await settings.stopSyncingButton(proj).click();
      await expect(settings.panel.getByTestId('synced-outside-shares')).toHaveCount(0);
      await expect(settings.syncedTable).toHaveCount(0);
      await expect(settings.panel.getByText('No folder is synchronized')).toBeVisible();
      await settings.applyAndConfirm(/The VM restarts/);
      await settings.waitApplied();
      const after = await savedSettings();
      expect(after.syncedShares).toEqual([]);
      expect(after.fileShares).toEqual(before.fileShares);
      clean = true;
    } finally {
      if (!clean) {
        // Leave the saved settings as they were for the next spec (the running VM picks them up on its next restart).
        await setSettings('syncedShares=', `fileShares=${before.fileShares.join(',')}`).catch(() => undefined);
      }
      fs.rmSync(base, { recursive: true, force: true });
    }
  });
});
