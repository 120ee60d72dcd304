import { expect, test } from '@playwright/test';
import { dockerInfo, SettingsPage } from './pages/settings-page.js';

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
});
