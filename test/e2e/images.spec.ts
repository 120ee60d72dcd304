import { expect, test } from '@playwright/test';
import { ContainersPage } from './pages/containers-page.js';
import { ImagesPage, splitRef } from './pages/images-page.js';
import { containerState, docker, readState, removeContainers, uniqueName } from './support/env.js';

/**
 * Images against the real engine. The pull comes from Debian's docker-registry
 * that the global setup runs on the host (the guest reaches it as 10.0.2.2).
 */
test.describe.configure({ mode: 'serial' });

test.describe('Images', () => {
  const created: string[] = [];
  test.afterAll(async () => removeContainers(...created));

  test('the engine\'s images are listed with size and use', async ({ page }) => {
    const { localImage } = readState();
    const images = new ImagesPage(page);
    await images.open();
    const { repo, tag } = splitRef(localImage);
    await expect(images.row(repo, tag)).toBeVisible({ timeout: 30_000 });
    await expect(images.row(repo, tag)).toContainText(/\d+(\.\d+)? MB/);
  });

  test('pulling from a registry shows per-layer progress, then the image', async ({ page }) => {
    const { registryImage } = readState();
    await docker(['rmi', '-f', registryImage]).catch(() => undefined);
    const images = new ImagesPage(page);
    await images.open();
    await images.pull(registryImage);
    const card = images.pullCard(registryImage);
    await expect(card).toBeVisible();
    await expect(images.layerBars(registryImage).first()).toBeVisible({ timeout: 120_000 });
    await expect(card.getByRole('status')).toHaveText('Pulled', { timeout: 180_000 });
    await expect(images.layerBars(registryImage).first()).toHaveAttribute('aria-valuenow', '100');
    const { repo, tag } = splitRef(registryImage);
    await expect(images.row(repo, tag)).toBeVisible({ timeout: 30_000 });
    expect(await docker(['images', '--format', '{{.Repository}}:{{.Tag}}'])).toContain(registryImage);
    await card.getByRole('button', { name: `Dismiss pull of ${registryImage}` }).click();
    await expect(card).toHaveCount(0);
  });

  test('a bad reference fails visibly', async ({ page }) => {
    const { registry } = readState();
    const ref = `${registry}/e2e/does-not-exist:nope`;
    const images = new ImagesPage(page);
    await images.open();
    await images.pull(ref);
    await expect(images.pullCard(ref).getByRole('status')).toHaveText(/Failed/, { timeout: 120_000 });
  });

  test('the Run dialog starts a container with ports and env', async ({ page }) => {
    const { localImage } = readState();
    const name = uniqueName('e2e-run');
    created.push(name);
    const images = new ImagesPage(page);
    await images.open();
    const { repo, tag } = splitRef(localImage);
    const dialog = await images.openRunDialog(repo, tag);
    await dialog.getByRole('textbox', { name: 'Container name' }).fill(name);
    await dialog.getByRole('textbox', { name: 'Ports' }).fill('18082:80');
    await dialog.getByRole('textbox', { name: 'Environment' }).fill('GREETING=hi-from-run');
    await dialog.getByRole('textbox', { name: 'Command' }).fill('httpd -f -p 80 -h /www');
    await dialog.getByRole('button', { name: 'Run', exact: true }).click();
    await expect(dialog).toBeHidden({ timeout: 60_000 });
    const containers = new ContainersPage(page);
    await expect(containers.row(name)).toBeVisible({ timeout: 30_000 });
    expect(await containerState(name)).toBe('running');
    expect(await docker(['inspect', '--format', '{{json .Config.Env}}', name])).toContain('GREETING=hi-from-run');
    expect(await docker(['port', name])).toContain('18082');
  });

  test('the Run dialog refuses bad input before calling the core, and Escape closes it', async ({ page }) => {
    const { localImage } = readState();
    const images = new ImagesPage(page);
    await images.open();
    const { repo, tag } = splitRef(localImage);
    const dialog = await images.openRunDialog(repo, tag);
    await dialog.getByRole('textbox', { name: 'Ports' }).fill('eighty');
    await dialog.getByRole('button', { name: 'Run', exact: true }).click();
    await expect(dialog.getByRole('alert')).toContainText('not a port mapping');
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
  });

  test('deleting an image asks first and removes it', async ({ page }) => {
    const { localImage } = readState();
    const extra = `wharf-e2e/delete-me:${Date.now()}`;
    await docker(['tag', localImage, extra]);
    const images = new ImagesPage(page);
    await images.open();
    const { repo, tag } = splitRef(extra);
    await expect(images.row(repo, tag)).toBeVisible({ timeout: 30_000 });
    await images.row(repo, tag).getByRole('button', { name: `Delete ${extra}` }).click();
    await images.shell.confirm('Delete');
    await expect(images.row(repo, tag)).toHaveCount(0, { timeout: 30_000 });
    expect(await docker(['images', '--format', '{{.Repository}}:{{.Tag}}'])).not.toContain(extra);
  });

  test('prune dangling asks for confirmation', async ({ page }) => {
    const images = new ImagesPage(page);
    await images.open();
    await page.getByRole('button', { name: 'Prune dangling' }).click();
    await images.shell.confirm('Remove dangling');
    await expect(page.getByRole('status').filter({ hasText: /Removed \d+ image/ })).toBeVisible({ timeout: 60_000 });
  });
});
