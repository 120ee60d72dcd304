import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { ContainersPage } from './pages/containers-page.js';
import { NetworksPage } from './pages/networks-page.js';
import { compose, composeContainer, composeFlavour, screenshot, type ComposeFlavour } from './support/daily.js';
import { containerState, docker, readState, removeContainers, uniqueName } from './support/env.js';

test.describe.configure({ mode: 'serial' });

/**
 * A project start or stop is one container after another (dependencies first), and each
 * start sets up a veth and iptables rules in a TCG guest: a minute or more apiece on a loaded
 * 2-core machine (seen: 90 s for one start with five VMs on the host).
 */
const STATE_WAIT = 300_000;

test.describe('Compose projects', () => {
  const project = uniqueName('e2eshop').toLowerCase().replace(/[^a-z0-9-]/g, '');
  let dir = '';
  let flavour: ComposeFlavour = 'v2';
  const web = () => composeContainer(flavour, project, 'web');
  const db = () => composeContainer(flavour, project, 'db');
  test.beforeAll(async () => {
    const found = await composeFlavour();
    test.skip(!found, 'docker compose is not installed on this host: apt-get install docker-compose');
    flavour = found!;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wharf-e2e-compose-'));
    const { localImage } = readState();
    fs.writeFileSync(path.join(dir, 'compose.yaml'), [
      'services:',
      '  db:',
      `    image: ${localImage}`,
      `    command: ["sh", "-c", "echo db-ready; while true; do sleep 1; done"]`,
      '    stop_grace_period: 1s',
      '    volumes: ["data:/data"]',
      '  web:',
      `    image: ${localImage}`,
      `    command: ["sh", "-c", "echo web-hello; while true; do sleep 1; done"]`,
      '    stop_grace_period: 1s',
      '    depends_on: [db]',
      'volumes:',
      '  data: {}',
      '',
    ].join('\n'));
    await compose(flavour, dir, project, ['up', '-d']);
  });
  test.afterAll(async () => {
    if (dir) await compose(flavour, dir, project, ['down', '-v', '-t', '1']).catch(() => undefined);
  });

  test('stop and start a project from its row; the containers follow; merged logs name each service', async ({ page }) => {
    test.setTimeout(15 * 60_000);
    const containers = new ContainersPage(page);
    await containers.open();
    const stop = page.getByRole('button', { name: `Stop project ${project}`, exact: true });
    await expect(stop).toBeVisible({ timeout: 60_000 });
    await screenshot(page, 'daily-containers-compose-row');
    await stop.click();
    await expect.poll(async () => [await containerState(web()), await containerState(db())], { timeout: STATE_WAIT }).toEqual(['exited', 'exited']);
    const start = page.getByRole('button', { name: `Start project ${project}`, exact: true });
    await expect(start).toBeVisible({ timeout: 30_000 });
    await expect(containers.row(web()).locator('.badge')).toHaveText('exited');
    await start.click();
    await expect.poll(async () => [await containerState(web()), await containerState(db())], { timeout: STATE_WAIT }).toEqual(['running', 'running']);
    await expect(containers.row(web()).locator('.badge')).toHaveText('running', { timeout: 30_000 });

    await page.getByRole('link', { name: `Open project ${project}` }).click();
    await expect(page.getByRole('heading', { level: 1, name: project })).toBeVisible();
    const log = page.getByRole('log', { name: `Logs of project ${project}` });
    await expect(log).toContainText('web-hello', { timeout: 60_000 });
    await expect(log).toContainText('db-ready');
    await expect(log.locator('[data-service="web"]').first()).toBeVisible();
    const colours = await log.evaluate((el) => [...new Set([...el.querySelectorAll<HTMLElement>('[data-service]')].map((s) => `${s.dataset.service}=${s.style.color}`))]);
    expect(new Set(colours.map((c) => c.split('=')[1])).size).toBe(2);
    await expect(page.getByRole('button', { name: 'web', exact: true })).toHaveAttribute('aria-pressed', 'true');
    await screenshot(page, 'daily-compose-project');

    await page.getByRole('button', { name: `Restart project ${project}`, exact: true }).click();
    await expect(page.getByRole('status').filter({ hasText: '2/2 running' })).toBeVisible({ timeout: STATE_WAIT });
  });

  test('delete the project with its volumes', async ({ page }) => {
    test.setTimeout(8 * 60_000);
    const containers = new ContainersPage(page);
    await containers.open();
    await page.getByRole('button', { name: `Delete project ${project}`, exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('checkbox', { name: /Also delete its volumes/ }).check();
    await screenshot(page, 'daily-compose-delete-dialog');
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(async () => [await containerState(web()), await containerState(db())], { timeout: STATE_WAIT }).toEqual([undefined, undefined]);
    await expect(page.getByRole('button', { name: `Delete project ${project}`, exact: true })).toHaveCount(0, { timeout: 30_000 });
    // The row goes when the containers are gone; the project's volumes and networks are removed after them.
    await expect.poll(async () => (await docker(['volume', 'ls', '--format', '{{.Name}}'])).split('\n'), { timeout: 60_000 }).not.toContain(`${project}_data`);
    await expect.poll(async () => (await docker(['network', 'ls', '--format', '{{.Name}}'])).split('\n'), { timeout: 60_000 }).not.toContain(`${project}_default`);
  });
});

test.describe('Networks', () => {
  const net = uniqueName('e2e-net');
  const user = uniqueName('e2e-netuser');
  test.afterAll(async () => {
    await removeContainers(user);
    await docker(['network', 'rm', net]).catch(() => undefined);
  });

  test('create in the UI, seen by docker network ls, with its containers; delete and prune', async ({ page }) => {
    const networks = new NetworksPage(page);
    await networks.open();
    await expect(networks.row('bridge')).toContainText('built-in');
    await networks.create(net, '172.31.77.0/24');
    await expect(networks.row(net)).toBeVisible({ timeout: 30_000 });
    expect((await docker(['network', 'ls', '--format', '{{.Name}}'])).split('\n')).toContain(net);
    expect(await docker(['network', 'inspect', net, '--format', '{{(index .IPAM.Config 0).Subnet}}'])).toBe('172.31.77.0/24');

    await docker(['run', '-d', '--name', user, '--network', net, readState().localImage, 'sleep', '3600']);
    await expect(networks.row(net)).toContainText(user, { timeout: 30_000 });
    await expect(networks.row(net)).toContainText('172.31.77.');
    await screenshot(page, 'daily-networks');

    await networks.remove(net);
    await expect(networks.shell.errorToasts).toContainText(/containers attached/);
    await removeContainers(user);
    await expect(networks.row(net)).toContainText('none', { timeout: 30_000 });
    await networks.remove(net);
    await expect(networks.row(net)).toHaveCount(0, { timeout: 30_000 });
    expect((await docker(['network', 'ls', '--format', '{{.Name}}'])).split('\n')).not.toContain(net);

    const orphan = uniqueName('e2e-orphan-net');
    await docker(['network', 'create', orphan]);
    await expect(networks.row(orphan)).toBeVisible({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Prune unused' }).click();
    await networks.shell.confirm('Remove unused');
    await expect(networks.row(orphan)).toHaveCount(0, { timeout: 30_000 });
    await expect(networks.row('bridge')).toBeVisible();
  });
});
