import { expect, test } from '@playwright/test';
import { VolumesPage } from './pages/volumes-page.js';
import { docker, readState, removeContainers, uniqueName } from './support/env.js';

test.describe.configure({ mode: 'serial' });

test.describe('Volumes', () => {
  const vol = uniqueName('e2e-vol');
  const user = uniqueName('e2e-voluser');
  test.afterAll(async () => {
    await removeContainers(user);
    await docker(['volume', 'rm', '-f', vol]).catch(() => undefined);
  });

  test('create in the UI, see who uses it, delete with confirmation', async ({ page }) => {
    const volumes = new VolumesPage(page);
    await volumes.open();
    await volumes.create(vol);
    await expect(volumes.row(vol)).toBeVisible({ timeout: 30_000 });
    expect(await docker(['volume', 'ls', '--format', '{{.Name}}'])).toContain(vol);

    const { localImage } = readState();
    await docker(['run', '-d', '--name', user, '-v', `${vol}:/data`, localImage, 'sleep', '3600']);
    await expect(volumes.row(vol)).toContainText(user, { timeout: 30_000 });

    await removeContainers(user);
    await expect(volumes.row(vol)).toContainText('unused', { timeout: 30_000 });
    await volumes.remove(vol);
    await expect(volumes.row(vol)).toHaveCount(0, { timeout: 30_000 });
    expect(await docker(['volume', 'ls', '--format', '{{.Name}}'])).not.toContain(vol);
  });

  test('a bad name is refused with the core\'s reason', async ({ page }) => {
    const volumes = new VolumesPage(page);
    await volumes.open();
    await volumes.create('x');
    await expect(volumes.shell.errorToasts).toContainText(/at least 2 characters|volume names/i);
  });

  test('prune removes unused volumes after confirmation', async ({ page }) => {
    const orphan = uniqueName('e2e-orphan');
    await docker(['volume', 'create', orphan]);
    const volumes = new VolumesPage(page);
    await volumes.open();
    await expect(volumes.row(orphan)).toBeVisible({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Prune unused' }).click();
    await volumes.shell.confirm('Remove unused');
    await expect(volumes.row(orphan)).toHaveCount(0, { timeout: 60_000 });
  });
});
