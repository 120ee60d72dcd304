import { expect, test } from '@playwright/test';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ContainersPage } from './pages/containers-page.js';
import { buildBusyboxLayer } from './support/busybox-image.js';
import { readState, repoRoot } from './support/env.js';
import { startSecondEngine, type SecondEngine } from './support/second-engine.js';

const run = promisify(execFile);
const wharfBin = path.join(repoRoot, 'bin', 'wharf.mjs');
const shots = path.join(repoRoot, 'test-results', 'screenshots');

/**
 * Remote engines: a second Wharf (its own WHARF_HOME; backend=wsl through the
 * WSL stand-in, so the machine still runs one VM) serves its engine over TCP
 * with mutual TLS on 127.0.0.1. It is added to the dashboard's docker config as
 * a context; the UI lists it, shows its containers and stops one; a context
 * with the wrong CA is refused with "certificate refused".
 */
test.describe.configure({ mode: 'serial' });

test.describe('Remote engines (docker contexts)', () => {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'wharf-remote-'));
  let remote: SecondEngine | undefined;
  const remoteDocker = (args: string[]) => remote!.docker(args);
  /** The dashboard core reads the docker CLI config of the global setup. */
  const uiDockerConfig = () => path.join(readState().workDir, 'docker-config');
  const uiDocker = (args: string[]) => run('docker', ['--config', uiDockerConfig(), ...args], { timeout: 60_000 }).then((r) => r.stdout.trim());

  test.beforeAll(async () => {
    test.setTimeout(20 * 60_000);
    remote = await startSecondEngine(base);
    const tar = path.join(base, 'busybox.tar');
    fs.writeFileSync(tar, buildBusyboxLayer().tar);
    await remoteDocker(['import', '--change', 'CMD ["/bin/sh"]', '--change', 'ENV PATH=/bin', tar, 'remote/busybox:1']);
    await remoteDocker(['run', '-d', '--name', 'remote-sleeper', 'remote/busybox:1', 'sleep', '3600']);
    const { enginePort, certs } = remote;
    const tls = (ca: string) => `host=tcp://127.0.0.1:${enginePort},ca=${ca},cert=${certs}/cert.pem,key=${certs}/key.pem`;
    await uiDocker(['context', 'rm', '-f', 'remote-b', 'remote-badca']).catch(() => undefined);
    await uiDocker(['context', 'create', 'remote-b', '--description', 'a second Wharf over TCP+TLS', '--docker', tls(`${certs}/ca.pem`)]);
    // The dashboard's own Wharf has a different CA: the remote's server certificate does not chain to it.
    await uiDocker(['context', 'create', 'remote-badca', '--description', 'the wrong CA', '--docker', tls(path.join(readState().home, 'certs', 'ca.pem'))]);
  });

  test.afterAll(async () => {
    await remote?.stop();
    await uiDocker(['context', 'rm', '-f', 'remote-b', 'remote-badca']).catch(() => undefined);
    fs.rmSync(base, { recursive: true, force: true });
  });

  test('lists the contexts; a wrong CA says "certificate refused"; the remote\'s containers show and stop from the UI', async ({ page }) => {
    const containers = new ContainersPage(page);
    await containers.open();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Engines' }).click();
    const table = page.getByRole('table', { name: 'Docker contexts' });
    const row = (name: string) => table.getByRole('row').filter({ has: page.locator('td.name-cell > span.mono').getByText(name, { exact: true }) });
    await expect(row('remote-b')).toContainText('tcp://127.0.0.1:');
    await expect(row('remote-b')).toContainText('TLS');
    await expect(row('wharf')).toContainText('Shown');

    await row('remote-badca').getByRole('button', { name: 'Show remote-badca in Wharf' }).click();
    await expect(row('remote-badca').getByRole('alert')).toContainText(/certificate refused/, { timeout: 30_000 });
    await expect(row('wharf')).toContainText('Shown');
    fs.mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: path.join(shots, 'engines-view-wrong-ca.png'), fullPage: true });

    await row('remote-b').getByRole('button', { name: 'Show remote-b in Wharf' }).click();
    await expect(row('remote-b')).toContainText('Shown', { timeout: 30_000 });
    await page.screenshot({ path: path.join(shots, 'engines-view-remote-shown.png'), fullPage: true });

    await containers.shell.go('Containers');
    await expect(page.getByRole('status').filter({ hasText: 'Showing the engine of docker context remote-b' })).toBeVisible();
    await expect(containers.row('remote-sleeper')).toBeVisible({ timeout: 30_000 });
    await expect(containers.state('remote-sleeper')).toHaveText(/running/i);
    await page.screenshot({ path: path.join(shots, 'containers-remote-engine.png'), fullPage: true });
    await containers.action('remote-sleeper', 'Stop');
    await expect(containers.state('remote-sleeper')).toHaveText(/exited/i, { timeout: 180_000 });
    expect(await remoteDocker(['ps', '-a', '--filter', 'name=remote-sleeper', '--format', '{{.State}}'])).toBe('exited');

    // wharf context, the CLI view of the same.
    const ls = await run(process.execPath, [wharfBin, 'context', 'ls'], { env: process.env, timeout: 60_000 });
    expect(ls.stdout).toMatch(/^\* remote-b\s+tcp/m);

    // Back to Wharf's own VM.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Engines' }).click();
    await row('wharf').getByRole('button', { name: 'Show wharf in Wharf' }).click();
    await expect(row('wharf')).toContainText('Shown', { timeout: 30_000 });
  });
});
