import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { chromium, type FullConfig } from '@playwright/test';
import { buildBusyboxLayer } from './support/busybox-image.js';
import { repoRoot, stateFile, storageStateFile, type E2EState } from './support/env.js';
import { freePort, pushImage, startRegistry } from './support/registry.js';

const run = promisify(execFile);
const wharfBin = path.join(repoRoot, 'bin', 'wharf.mjs');

function log(msg: string): void {
  process.stderr.write(`[e2e setup] ${msg}\n`);
}

async function wharf(args: string[], env: NodeJS.ProcessEnv, timeout: number): Promise<string> {
  try {
    const { stdout, stderr } = await run(process.execPath, [wharfBin, ...args], { env, timeout, maxBuffer: 16 * 1024 * 1024 });
    return `${stdout}${stderr}`;
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`wharf ${args.join(' ')} failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`, { cause: err });
  }
}

/** Starts `wharf dashboard --print-url` and resolves with the one-time URL it prints. */
function startDashboard(env: NodeJS.ProcessEnv, logPath: string): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const logFd = fs.openSync(logPath, 'a');
    const child = spawn(process.execPath, [wharfBin, 'dashboard', '--print-url'], { env, stdio: ['ignore', 'pipe', logFd] });
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`wharf dashboard printed no URL within 60 s. Output: ${out}; see ${logPath}`));
    }, 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      fs.appendFileSync(logPath, chunk);
      out += chunk.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_\-.~%]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]! });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`wharf dashboard exited (${code}) before printing a URL. Output: ${out}; see ${logPath}`));
    });
  });
}

/**
 * The e2e tests run against the REAL core:
 *  1. a temp WHARF_HOME (or WHARF_E2E_HOME to reuse one, e.g. a VM already running);
 *  2. the renderer is built (npm run build:renderer) so the dashboard serves this tree;
 *  3. Debian's docker-registry on 127.0.0.1:<free port> with a busybox-static image pushed to it;
 *     daemon.json gets `insecure-registries: ["10.0.2.2:<port>"]` (the guest sees the host as 10.0.2.2);
 *  4. `wharf start` boots the VM (TCG here: minutes);
 *  5. `docker import` puts the same busybox image in the engine as wharf-e2e/busybox:latest;
 *  6. `wharf dashboard --print-url` serves the UI; its one-time URL is redeemed once in a real page
 *     and the session cookie and page key saved as Playwright storage state, so every test opens
 *     baseURL signed in.
 * The returned function is the teardown: dashboard, engine (`wharf stop`), registry, temp files.
 */
/** Redeems a one-time link in Chromium and saves the cookie and page key as the tests' storage state. */
export async function signInBrowser(url: string): Promise<void> {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    const res = await page.goto(url);
    if (!res?.ok()) throw new Error(`redeeming the dashboard link failed: ${res?.status()} ${await res?.text()}`);
    await page.waitForFunction(() => window.localStorage.getItem('wharf.dashboardKey') !== null, undefined, { timeout: 30_000 });
    await context.storageState({ path: storageStateFile });
  } finally {
    await browser.close();
  }
}

export default async function globalSetup(_config: FullConfig): Promise<() => Promise<void>> {
  const reuse = process.env.WHARF_E2E_HOME;
  const home = reuse ? path.resolve(reuse) : fs.mkdtempSync(path.join(os.tmpdir(), 'wharf-e2e-'));
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wharf-e2e-work-'));
  fs.mkdirSync(path.dirname(stateFile), { recursive: true });
  // A private docker config: `wharf start` switches the current context, and the
  // developer's own ~/.docker must not change because tests ran.
  const dockerConfig = path.join(workDir, 'docker-config');
  fs.mkdirSync(dockerConfig, { recursive: true });
  const env: NodeJS.ProcessEnv = { ...process.env, WHARF_HOME: home, DOCKER_CONFIG: dockerConfig };
  delete env.DOCKER_HOST;
  const cleanups: Array<() => Promise<void> | void> = [];
  const teardown = async () => {
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch (err) {
        log(`cleanup: ${(err as Error).message}`);
      }
    }
  };
  try {
    log(`WHARF_HOME=${home}`);
    log('building the renderer');
    await run('npm', ['run', 'build:renderer'], { cwd: repoRoot, timeout: 180_000 });

    const layer = buildBusyboxLayer(workDir);
    const port = await freePort();
    const registryProc = await startRegistry(path.join(workDir, 'registry'), port);
    cleanups.push(() => { registryProc.kill('SIGTERM'); });
    const registry = `10.0.2.2:${port}`;
    await pushImage(port, 'e2e/busybox', '1.0', layer);
    log(`registry on 127.0.0.1:${port} (guest: ${registry}) with e2e/busybox:1.0`);

    if (!reuse) {
      // Cleanups run in reverse: stop the engine (even after a failed start), then remove its home.
      cleanups.push(() => { if (!process.env.WHARF_E2E_KEEP) fs.rmSync(home, { recursive: true, force: true }); });
      cleanups.push(async () => {
        log('stopping the engine');
        log((await wharf(['stop'], env, 5 * 60_000)).trim());
      });
    }
    const status = JSON.parse(await wharf(['status', '--json'], env, 60_000).catch(() => '{}')) as { vm?: { state?: string } };
    if (status.vm?.state !== 'running') {
      // Resource Saver off: specs wait on the UI for minutes at a time, and a VM
      // stopped under them would be a surprise (proxies-saver.spec.ts tests the setting).
      // 10.0.2.2/32: any registry a spec starts on the host's loopback (e.g. one with basic auth) is plain HTTP too.
      await wharf(['set', `daemonJson=${JSON.stringify({ 'insecure-registries': [registry, `host.docker.internal:${port}`, '10.0.2.2/32'] })}`, 'resourceSaverMinutes=0'], env, 60_000);
      log('starting the engine (wharf start); under TCG this takes minutes');
      const t0 = Date.now();
      await wharf(['start'], env, 20 * 60_000);
      log(`engine running after ${Math.round((Date.now() - t0) / 1000)} s`);
    } else {
      log('engine already running in WHARF_E2E_HOME; the pull test needs its daemon.json to list the registry');
    }
    cleanups.push(() => { if (!process.env.WHARF_E2E_KEEP) fs.rmSync(workDir, { recursive: true, force: true }); });

    const dockerHost = `unix://${path.join(home, 'run', 'docker.sock')}`;
    const tarPath = path.join(workDir, 'rootfs.tar');
    await run('docker', ['import', '--change', 'CMD ["/bin/sh"]', '--change', 'ENV PATH=/bin', tarPath, 'wharf-e2e/busybox:latest'], {
      env: { ...process.env, DOCKER_HOST: dockerHost, DOCKER_CONTEXT: '' },
      timeout: 300_000,
    });
    log('imported wharf-e2e/busybox:latest into the engine');

    const { child: dash, url } = await startDashboard(env, path.join(workDir, 'dashboard.log'));
    cleanups.push(() => new Promise<void>((resolve) => {
      if (dash.exitCode !== null) return resolve();
      dash.once('exit', () => resolve());
      dash.kill('SIGTERM');
      setTimeout(resolve, 5000);
    }));
    const baseURL = new URL(url).origin;
    await signInBrowser(url);
    log(`dashboard at ${baseURL}`);

    const state: E2EState = {
      home,
      baseURL,
      dockerHost,
      registry,
      localImage: 'wharf-e2e/busybox:latest',
      registryImage: `${registry}/e2e/busybox:1.0`,
      dashboardPid: dash.pid,
      registryPid: registryProc.pid,
      workDir,
    };
    fs.writeFileSync(stateFile, JSON.stringify(state, null, 2));
    // Workers inherit these (the Settings spec runs `wharf status` with process.env).
    process.env.WHARF_HOME = home;
    process.env.WHARF_E2E_BASE_URL = baseURL;
    return teardown;
  } catch (err) {
    await teardown();
    throw err;
  }
}
