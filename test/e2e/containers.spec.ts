import { expect, test } from '@playwright/test';
import { ContainersPage } from './pages/containers-page.js';
import { containerState, docker, readState, removeContainers, uniqueName } from './support/env.js';

/**
 * The Containers view against the real engine: what the docker CLI does shows
 * up without a reload (invalidation events), and what the UI does is what
 * `docker ps -a` sees.
 */
test.describe.configure({ mode: 'serial' });

test.describe('Containers', () => {
  const created: string[] = [];
  test.afterAll(async () => removeContainers(...created));

  test('a container started with the docker CLI appears without a reload', async ({ page }) => {
    const { localImage } = readState();
    const containers = new ContainersPage(page);
    await containers.open();
    let navigations = 0;
    page.on('framenavigated', (f) => { if (f === page.mainFrame()) navigations++; });

    const name = uniqueName('e2e-cli');
    created.push(name);
    await docker(['run', '-d', '--name', name, '-p', '18081:80', localImage, 'httpd', '-f', '-p', '80', '-h', '/www']);
    await expect(containers.row(name)).toBeVisible({ timeout: 30_000 });
    await expect(containers.state(name)).toHaveText('running');
    await expect(containers.row(name).getByRole('link', { name: '18081:80' })).toHaveAttribute('href', 'http://localhost:18081');

    await docker(['stop', '-t', '1', name]);
    await expect(containers.state(name)).toHaveText('exited', { timeout: 30_000 });
    await docker(['rm', name]);
    await expect(containers.row(name)).toHaveCount(0, { timeout: 30_000 });
    expect(navigations, 'the page never reloaded').toBe(0);
  });

  test('stop, start and delete in the UI change docker ps -a', async ({ page }) => {
    const { localImage } = readState();
    const name = uniqueName('e2e-ui');
    created.push(name);
    await docker(['run', '-d', '--name', name, localImage, 'sleep', '3600']);
    const containers = new ContainersPage(page);
    await containers.open();
    await expect(containers.state(name)).toHaveText('running', { timeout: 30_000 });
    // CPU and memory of running containers come from the stats sampler.
    await expect(containers.row(name)).toContainText(/\d+(\.\d+)?%/, { timeout: 30_000 });
    await expect(containers.row(name)).toContainText(/\d+(\.\d+)? (KiB|MiB|GiB)/);

    await containers.action(name, 'Stop');
    await expect(containers.state(name)).toHaveText('exited', { timeout: 60_000 });
    expect(await containerState(name)).toBe('exited');

    await containers.action(name, 'Start');
    await expect(containers.state(name)).toHaveText('running', { timeout: 60_000 });
    expect(await containerState(name)).toBe('running');

    await containers.action(name, 'Pause');
    await expect(containers.state(name)).toHaveText('paused', { timeout: 60_000 });
    expect(await containerState(name)).toBe('paused');
    await containers.action(name, 'Unpause');
    await expect(containers.state(name)).toHaveText('running', { timeout: 60_000 });

    // Delete asks first; Cancel (and Escape) keep the container.
    await containers.action(name, 'Delete');
    await expect(containers.shell.dialog).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(containers.shell.dialog).toBeHidden();
    expect(await containerState(name)).toBe('running');

    await containers.remove(name);
    await expect(containers.row(name)).toHaveCount(0, { timeout: 60_000 });
    expect(await containerState(name)).toBeUndefined();
    await expect(containers.shell.errorToasts).toHaveCount(0);
  });

  test('compose projects are grouped; search, filter and bulk actions work', async ({ page }) => {
    const { localImage } = readState();
    const project = uniqueName('e2eproj');
    const a = `${project}-web-1`;
    const b = `${project}-worker-1`;
    const solo = uniqueName('e2e-solo');
    created.push(a, b, solo);
    for (const [n, svc] of [[a, 'web'], [b, 'worker']] as const) {
      await docker(['run', '-d', '--name', n, '--label', `com.docker.compose.project=${project}`, '--label', `com.docker.compose.service=${svc}`, localImage, 'sleep', '3600']);
    }
    await docker(['create', '--name', solo, localImage, 'true']);

    const containers = new ContainersPage(page);
    await containers.open();
    await expect(containers.groupHeader(project)).toBeVisible({ timeout: 30_000 });
    await expect(containers.groupHeader(project)).toContainText('2/2 running');

    // Collapse and expand the group with the keyboard.
    await containers.groupHeader(project).getByRole('button', { name: project, exact: true }).focus();
    await page.keyboard.press('Enter');
    await expect(containers.row(a)).toHaveCount(0);
    await page.keyboard.press('Space');
    await expect(containers.row(a)).toBeVisible();

    await containers.search.fill(project);
    await expect(containers.row(a)).toBeVisible();
    await expect(containers.row(solo)).toHaveCount(0);
    await containers.search.fill('');
    await containers.stateFilter.selectOption('stopped');
    await expect(containers.row(solo)).toBeVisible();
    await expect(containers.row(a)).toHaveCount(0);
    await containers.stateFilter.selectOption('all');

    await containers.select(a);
    await containers.select(b);
    await containers.bulk('Stop selected').click();
    await expect(containers.state(a)).toHaveText('exited', { timeout: 60_000 });
    await expect(containers.state(b)).toHaveText('exited', { timeout: 60_000 });
    expect(await containerState(a)).toBe('exited');
    expect(await containerState(b)).toBe('exited');

    await containers.bulk('Delete selected').click();
    await containers.shell.confirm(/Delete 2/);
    await expect(containers.row(a)).toHaveCount(0, { timeout: 60_000 });
    await expect(containers.row(b)).toHaveCount(0);
    expect(await containerState(a)).toBeUndefined();
    expect(await containerState(b)).toBeUndefined();
  });
});
