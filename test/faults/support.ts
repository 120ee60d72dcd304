import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { execFileSync, spawn } from 'node:child_process';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { ControlClient } from '../../src-main/core/transports/control-client.js';
import type { EventMessage } from '../../src-main/core/contract/wire.js';
import type { EngineStatus } from '../../src-main/core/contract/types.js';
import { typedClient } from '../../src-main/cli/connect.js';
import { WharfTestEnv, qemuProcessesFor, repoRoot, waitFor, wharfBin } from '../support/wharf-env.js';
import { prepareBusyboxContext } from '../support/test-image.js';

export { WharfTestEnv, qemuProcessesFor, waitFor };

/**
 * One parseable line per measured figure set, e.g.
 * `FIGURE fault=qemu-kill detect_ms=412 recover_ms=61000`. The suite's README
 * and the closing report quote these lines.
 */
export function figure(fault: string, values: Record<string, number | string | boolean>): void {
  const kv = Object.entries(values).map(([k, v]) => `${k}=${typeof v === 'number' ? Math.round(v * 100) / 100 : v}`).join(' ');
  console.log(`FIGURE fault=${fault} ${kv}`);
}

/**
 * What the suite's one VM offers every case (faults.test.ts fills it in
 * before the first case runs): booting under TCG costs minutes, so the cases
 * share it.
 */
export interface Suite {
  env: WharfTestEnv;
  /** The busybox test image plus the fault fixtures. */
  image: string;
  /** A loopback port published by the `web` container (busybox httpd). */
  webPort: number;
}

/** Monotonic milliseconds: the tests step the guest clock and must not be fooled by the host's. */
export const now = (): number => performance.now();

/** The headless core (`wharf.mjs __core`) serving this env's WHARF_HOME. */
export function corePid(env: WharfTestEnv): number | undefined {
  let pids: number[];
  try {
    pids = execFileSync('pgrep', ['-f', 'wharf.mjs __core'], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number);
  } catch {
    return undefined;
  }
  return pids.find((pid) => {
    try {
      return fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`WHARF_HOME=${env.home}`);
    } catch {
      return false;
    }
  });
}

export function qemuPid(env: WharfTestEnv): number {
  const pids = qemuProcessesFor(env.home);
  if (pids.length !== 1) throw new Error(`expected one QEMU for ${env.home}, found ${pids.length}`);
  return pids[0]!;
}

export function fdCount(pid: number): number {
  return fs.readdirSync(`/proc/${pid}/fd`).length;
}

export function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

export const MiB = 1024 * 1024;

/**
 * The core's descriptors split by who holds them, from `ss`: connections the
 * proxy accepted on docker.sock (clients like the docker CLI), connections on
 * core-docker.sock (the core's own engine client, whose keep-alive pool grows
 * after a burst and stays), and TCP connections to the engine (one per proxied
 * connection of either kind, plus the warm spare).
 */
export function proxyDescriptors(pid: number, env: WharfTestEnv): { total: number; clients: number; internal: number; upstream: number } {
  const rows = (args: string[]) => execFileSync('ss', args, { encoding: 'utf8' }).split('\n').filter((l) => l.includes(`pid=${pid},`));
  const unix = rows(['-xpn']).map((l) => l.trim().split(/\s+/)[4] ?? '');
  const internalSock = path.join(env.home, 'run', 'core-docker.sock');
  return {
    total: fdCount(pid),
    clients: unix.filter((local) => local === env.socket).length,
    internal: unix.filter((local) => local === internalSock).length,
    upstream: rows(['-tnp']).filter((l) => /^ESTAB/.test(l)).length,
  };
}

/**
 * Waits until the proxy holds no more client connections than `before` and no
 * engine connection beyond one per connection it serves plus the spare and a
 * health ping; returns what it saw last.
 */
export async function proxySettles(pid: number, env: WharfTestEnv, before: ReturnType<typeof proxyDescriptors>, timeoutMs = 20_000): Promise<{ after: ReturnType<typeof proxyDescriptors>; settled: boolean }> {
  const deadline = now() + timeoutMs;
  for (;;) {
    const after = proxyDescriptors(pid, env);
    const settled = after.clients <= before.clients && after.upstream <= after.clients + after.internal + 2;
    if (settled || now() > deadline) return { after, settled };
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Waits until the core's descriptor count is back to at most `limit`; returns the count seen last. */
export async function fdsSettle(pid: number, limit: number, timeoutMs = 20_000): Promise<number> {
  const deadline = now() + timeoutMs;
  let n = fdCount(pid);
  while (n > limit && now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    n = fdCount(pid);
  }
  return n;
}

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The busybox test image plus the fault fixtures (the fsync writer), built FROM scratch. */
export async function buildFaultImage(env: WharfTestEnv, tag = 'wharf-faults/busybox:1'): Promise<string> {
  const dir = prepareBusyboxContext();
  execFileSync('gcc', ['-static', '-O2', '-o', path.join(dir, 'fsync-writer'), path.join(repoRoot, 'test/faults/fixtures/fsync-writer.c')]);
  fs.appendFileSync(path.join(dir, 'Dockerfile'), 'COPY fsync-writer /bin/fsync-writer\n');
  const r = await env.docker(['build', '-t', tag, dir], { timeoutMs: 300_000 });
  if (r.code !== 0) throw new Error(`docker build failed: ${r.stderr}\n${r.stdout}`);
  fs.rmSync(dir, { recursive: true, force: true });
  return tag;
}

/** `wharf status --json`, parsed; also how long the CLI took to answer. */
export async function status(env: WharfTestEnv, timeoutMs = 30_000): Promise<{ s: { vm: { state: string; reason?: string }; notices: Array<{ code: string; message: string }> }; ms: number }> {
  const t0 = now();
  const r = await env.wharf(['status', '--json'], { timeoutMs });
  if (r.code !== 0) throw new Error(`wharf status failed (${r.code}): ${r.stderr}`);
  return { s: JSON.parse(r.stdout), ms: now() - t0 };
}

/** A client on the real control socket that records every event the core pushes (what the UI and tray derive from). */
export async function eventRecorder(env: WharfTestEnv): Promise<{ events: Array<{ at: number; e: EventMessage }>; client: ControlClient; close(): void }> {
  const client = await ControlClient.connect(path.join(env.home, 'run', 'control.sock'));
  const events: Array<{ at: number; e: EventMessage }> = [];
  client.listen((e) => events.push({ at: now(), e }));
  return { events, client, close: () => client.close() };
}

/** `wharf shell -c`, failing loudly. */
export async function guest(env: WharfTestEnv, command: string): Promise<string> {
  const r = await env.wharf(['shell', '-c', command], { timeoutMs: 90_000 });
  if (r.code !== 0) throw new Error(`wharf shell -c '${command}' failed (${r.code}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** The core's own answers over the control socket: what `wharf status` prints, without the CLI's process start (seconds under load). */
export class CoreLink {
  private constructor(readonly client: ControlClient, readonly api: ReturnType<typeof typedClient>) {}

  static async open(env: WharfTestEnv): Promise<CoreLink> {
    const client = await ControlClient.connect(path.join(env.home, 'run', 'control.sock'));
    return new CoreLink(client, typedClient(client));
  }

  /** engine.status with how long it took; rejects if the core does not answer within `timeoutMs`. */
  async status(timeoutMs = 10_000): Promise<{ s: EngineStatus; ms: number }> {
    const t0 = now();
    let timer: NodeJS.Timeout | undefined;
    const s = await Promise.race([
      this.api.engine.status(),
      new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`engine.status did not answer within ${timeoutMs} ms`)), timeoutMs); }),
    ]).finally(() => clearTimeout(timer));
    return { s, ms: now() - t0 };
  }

  /** A root shell in the VM over the same contract `wharf shell` uses; run() returns a command's output. */
  async shell(): Promise<{ run(cmd: string, timeoutMs?: number): Promise<string>; close(): void }> {
    const { streamId } = await this.api.vm.shell();
    let buffer = '';
    this.client.listen((e) => {
      const p = e.payload as { streamId?: string; data?: string };
      if (e.name === 'stream.data' && p.streamId === streamId) buffer += (p.data ?? '').replace(/\r/g, '');
    });
    await this.api.streams.write(streamId, 'stty -echo 2>/dev/null\n');
    let n = 0;
    const run = async (cmd: string, timeoutMs = 60_000) => {
      const marker = `__FAULTS_${n++}_${Math.random().toString(36).slice(2)}__`;
      await this.api.streams.write(streamId, `echo ${marker}B; ${cmd}; echo ${marker}E\n`);
      const deadline = now() + timeoutMs;
      for (;;) {
        const begin = buffer.indexOf(`${marker}B\n`);
        const end = begin >= 0 ? buffer.indexOf(`${marker}E\n`, begin) : -1;
        if (begin >= 0 && end > begin) {
          const out = buffer.slice(begin + marker.length + 2, end);
          buffer = buffer.slice(end + marker.length + 2);
          return out;
        }
        if (now() > deadline) throw new Error(`no answer from the VM shell to '${cmd}' within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    return { run, close: () => void this.api.streams.close(streamId).catch(() => undefined) };
  }

  close(): void {
    this.client.close();
  }
}

/** Newest modification time (ms) of any file below `dir`. */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/**
 * The dashboard serves out/renderer as built. A bundle older than the tree's
 * renderer (or the contract it imports) would test yesterday's UI, so build it
 * first when it is missing or stale (npm test builds it just before; a run of
 * this suite alone must not depend on that).
 */
export function ensureRendererBuilt(): void {
  const index = path.join(repoRoot, 'out', 'renderer', 'index.html');
  const built = fs.existsSync(index) ? fs.statSync(index).mtimeMs : 0;
  const sources = Math.max(newestMtime(path.join(repoRoot, 'src-renderer')), newestMtime(path.join(repoRoot, 'src-main', 'core', 'contract')),
    fs.statSync(path.join(repoRoot, 'vite.renderer.config.ts')).mtimeMs);
  if (built > sources) return;
  console.log(`# the dashboard bundle is ${built ? 'older than the renderer sources' : 'missing'}: npm run build:renderer`);
  execFileSync('npm', ['run', '-s', 'build:renderer'], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'], timeout: 300_000 });
}

/**
 * The real UI on this env: `wharf dashboard` plus Debian's Chromium, signed in
 * through the one-time link like a user. `statusBar` is the always-visible
 * engine status (state, reason, notices).
 */
export async function openDashboard(env: WharfTestEnv): Promise<{ page: Page; statusBar: Locator; close(): Promise<void> }> {
  ensureRendererBuilt();
  const dash = spawn(process.execPath, [wharfBin, 'dashboard', '--print-url'], { env: env.env, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no dashboard URL: ${out}`)), 90_000);
    dash.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]!); }
    });
    dash.once('exit', (code) => { clearTimeout(timer); reject(new Error(`wharf dashboard exited (${code}): ${out}`)); });
  });
  const browser: Browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  const page = await browser.newPage();
  await page.goto(url);
  const statusBar = page.getByRole('contentinfo', { name: 'Engine status' });
  await statusBar.waitFor({ timeout: 60_000 });
  return {
    page, statusBar,
    async close() {
      await browser.close().catch(() => undefined);
      dash.kill('SIGTERM');
    },
  };
}
