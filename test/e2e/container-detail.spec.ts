import { expect, test } from '@playwright/test';
import { ContainerDetailPage } from './pages/container-detail-page.js';
import { ContainersPage } from './pages/containers-page.js';
import { docker, readState, removeContainers, uniqueName } from './support/env.js';

/** A container's detail page: logs (follow, search), inspect, stats, and the exec terminal. */
test.describe.configure({ mode: 'serial' });

test.describe('Container detail', () => {
  const name = uniqueName('e2e-detail');
  test.beforeAll(async () => {
    const { localImage } = readState();
    await docker(['run', '-d', '--name', name, localImage, 'sh', '-c', 'echo hello-from-e2e; i=0; while true; do echo "tick $i"; i=$((i+1)); sleep 1; done']);
  });
  test.afterAll(async () => removeContainers(name));

  test('logs show the container output and keep following it', async ({ page }) => {
    const containers = new ContainersPage(page);
    await containers.open();
    await containers.openDetail(name);
    const detail = new ContainerDetailPage(page, name);
    await expect(detail.tab('Logs')).toHaveAttribute('aria-selected', 'true');
    await expect(detail.logs).toContainText('hello-from-e2e', { timeout: 30_000 });
    await expect(detail.followToggle).toHaveAttribute('aria-pressed', 'true');
    // Following: a line printed after the page opened shows up.
    const later = Number((await docker(['logs', '--tail', '1', name])).replace(/\D+/g, '')) + 3;
    await expect(detail.logs).toContainText(`tick ${later}`, { timeout: 30_000 });

    await detail.logSearch.fill('hello-from');
    await expect(detail.logs).toContainText('hello-from-e2e');
    await expect(detail.logs).not.toContainText('tick');
    await expect(detail.logs.locator('mark')).toHaveText('hello-from');
    await detail.logSearch.fill('');

    await detail.timestampsToggle.click();
    await expect(detail.timestampsToggle).toHaveAttribute('aria-pressed', 'true');
    await expect(detail.logs).toContainText(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
  });

  test('inspect shows the engine JSON', async ({ page }) => {
    const detail = new ContainerDetailPage(page, name);
    await page.goto(`/#/containers/${name}/inspect`);
    await expect(detail.inspect).toContainText('"Id"', { timeout: 30_000 });
    await expect(detail.inspect).toContainText(`"/${name}"`);
  });

  test('stats draw CPU and memory over time', async ({ page }) => {
    const detail = new ContainerDetailPage(page, name);
    await page.goto(`/#/containers/${name}/stats`);
    await expect(detail.chart('CPU usage')).toHaveAttribute('aria-label', /now, peak/, { timeout: 30_000 });
    await expect(detail.chart('Memory usage')).toHaveAttribute('aria-label', /MiB now/);
    await expect(detail.chart('Memory usage').locator('polyline')).toHaveCount(1, { timeout: 20_000 });
  });

  test('the terminal runs a command and shows its output', async ({ page }) => {
    const detail = new ContainerDetailPage(page, name);
    await page.goto(`/#/containers/${name}/logs`);
    await detail.selectTab('Terminal');
    await detail.runInTerminal('echo wharf-$((6*7))');
    await expect(detail.terminal).toContainText('wharf-42', { timeout: 30_000 });
    await detail.runInTerminal('touch /tmp/from-terminal');
    await expect.poll(async () => docker(['exec', name, 'ls', '/tmp']), { timeout: 20_000 }).toContain('from-terminal');
    // Keys reach the shell: Ctrl+C interrupts a running command.
    await detail.runInTerminal('sleep 300');
    await page.keyboard.press('Control+c');
    // As a person would: wait for the shell's next prompt before typing on. On a loaded
    // 2-core host the emulated guest took over 20 s to deliver the SIGINT and reprint it.
    await expect.poll(async () => (await detail.terminal.textContent()) ?? '', { timeout: 60_000 }).toMatch(/sleep 300[\s\S]*\n\/ # \s*$/);
    await detail.runInTerminal('echo after-$((1+1))');
    await expect(detail.terminal).toContainText('after-2', { timeout: 20_000 });
  });
});
