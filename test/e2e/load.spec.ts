import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { ContainerDetailPage } from './pages/container-detail-page.js';
import { ContainersPage } from './pages/containers-page.js';
import { docker, readState, removeContainers, uniqueName } from './support/env.js';

/**
 * Load in the UI (part of the fault and load suite, test/faults/README.md):
 * 200 containers listed, and 100 MB of logs followed with the core's memory
 * bounded. Each test prints a `FIGURE fault=…` line.
 */
test.describe.configure({ mode: 'serial' });

const MiB = 1024 * 1024;

function figure(fault: string, values: Record<string, number | string>): void {
  console.log(`FIGURE fault=${fault} ${Object.entries(values).map(([k, v]) => `${k}=${typeof v === 'number' ? Math.round(v * 100) / 100 : v}`).join(' ')}`);
}

/** The core serving the e2e WHARF_HOME (headless `wharf.mjs __core`). */
function corePid(): number {
  const { home } = readState();
  const pids = execFileSync('pgrep', ['-f', 'wharf.mjs __core'], { encoding: 'utf8' }).trim().split('\n').map(Number);
  const pid = pids.find((p) => {
    try { return fs.readFileSync(`/proc/${p}/environ`, 'utf8').split('\0').includes(`WHARF_HOME=${home}`); } catch { return false; }
  });
  if (!pid) throw new Error(`no core serves ${home}`);
  return pid;
}

function rss(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
}

async function pool<T>(items: T[], width: number, fn: (t: T) => Promise<unknown>): Promise<void> {
  const queue = [...items];
  await Promise.all(Array.from({ length: width }, async () => { for (let t = queue.shift(); t !== undefined; t = queue.shift()) await fn(t); }));
}

test.describe('Load in the UI', () => {
  test('200 containers: all are listed in the Containers table, and the last one can be reached by scrolling', async ({ page }) => {
    test.setTimeout(20 * 60_000);
    const { localImage } = readState();
    const prefix = uniqueName('load');
    const names = Array.from({ length: 200 }, (_, i) => `${prefix}-${String(i).padStart(3, '0')}`);
    try {
      const c0 = Date.now();
      await pool(names, 8, (n) => docker(['create', '--name', n, localImage, 'true'], { timeout: 300_000 }));
      const createMs = Date.now() - c0;
      const containers = new ContainersPage(page);
      const t0 = Date.now();
      await containers.open();
      await containers.search.fill(prefix);
      // The table is windowed past 150 rows: aria-rowcount says how many it holds (plus the header).
      await expect(containers.table).toHaveAttribute('aria-rowcount', '201', { timeout: 60_000 });
      await expect(containers.row(names[0]!)).toBeVisible();
      const listedMs = Date.now() - t0;
      await containers.table.locator('xpath=..').evaluate((el) => { el.scrollTop = el.scrollHeight; });
      await expect(containers.row(names[199]!)).toBeVisible({ timeout: 20_000 });
      const domRows = await containers.table.locator('tbody tr[data-container-id]').count();
      expect(domRows, 'only a window of rows is in the DOM').toBeLessThan(200);
      figure('ui-200-containers', { containers: 200, create_ms: createMs, listed_ms: listedMs, dom_rows: domRows });
    } finally {
      await docker(['rm', '-f', ...names], { timeout: 600_000 }).catch(() => undefined);
    }
  });

  test('a container printing 100 MB of logs, followed in the UI: the core\'s memory stays bounded and the stream reaches the end', async ({ page }) => {
    test.setTimeout(25 * 60_000);
    const { localImage } = readState();
    const name = uniqueName('biglog');
    const total = 100 * MiB;
    // Waits for /go so the UI is already following when the flood starts.
    await docker(['run', '-d', '--name', name, localImage, 'sh', '-c',
      `echo waiting-for-go; while [ ! -f /go ]; do sleep 0.2; done; yes 'wharf-load-line 0123456789abcdefghijklmnopqrstuvwxyz 0123456789abcdefghijklmnopqrstuvwxyz' | head -c ${total}; echo; echo LOG-END; sleep 3600`]);
    const core = corePid();
    try {
      const containers = new ContainersPage(page);
      await containers.open();
      await containers.openDetail(name);
      const detail = new ContainerDetailPage(page, name);
      await expect(detail.logs).toContainText('waiting-for-go', { timeout: 60_000 });
      const before = rss(core);
      let peak = before;
      const sampler = setInterval(() => { try { peak = Math.max(peak, rss(core)); } catch {} }, 250);
      const t0 = Date.now();
      try {
        await docker(['exec', name, 'touch', '/go']);
        await expect(detail.logs).toContainText('LOG-END', { timeout: 20 * 60_000 });
      } finally {
        clearInterval(sampler);
      }
      const ms = Date.now() - t0;
      const after = rss(core);
      const domLines = await detail.logs.locator(':scope > *').count();
      figure('ui-100mb-logs', { bytes: total, ms, core_rss_before_mib: before / MiB, core_rss_peak_mib: peak / MiB, core_rss_after_mib: after / MiB, dom_lines: domLines });
      expect(peak - before, `core RSS grew ${(peak - before) / MiB} MiB while relaying ${total / MiB} MiB`).toBeLessThan(150 * MiB);
    } finally {
      await removeContainers(name);
    }
  });
});
