import fs from 'node:fs/promises';
import { Duplex } from 'node:stream';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import type { VmState } from '../../contract/types.js';
import type { SettingsKey } from '../../contract/settings-schema.js';
import type { DataStoreInfo, EngineEndpoint, GuestShare, PortForwarder, VmBackend, VmBackendEvents, VmConfig, VmRuntimeInfo } from '../backend.js';
import type { OpenStream, StreamRegistry } from '../../util/streams.js';
import type { HostPathMapper } from '../../proxy/bind-paths.js';
import { VmStateMachine } from '../state-machine.js';
import { parseConsoleLine, progressFor, type Milestone } from '../milestones.js';
import { shellStream } from '../shell-stream.js';
import { UserError, errorMessage } from '../../errors.js';
import { freeLoopbackPort } from '../../util/free-port.js';
import { WslDriver } from './driver.js';
import { wslError } from './guidance.js';
import type { WslVersions } from './decode.js';
import { DATA_DISTRO, DATA_MOUNT, ENGINE_DISTRO, type WslPaths } from './paths.js';
import { WslPortChecker } from './port-checker.js';
import { wslHostPath } from './windows-paths.js';
import { holdDataDistro, releaseDataDistro } from './data-distro.js';

export interface WslImage {
  rootfs: string;
  data: string;
  hash: string;
}

export interface WslBackendOptions {
  paths: WslPaths;
  exe: string;
  /** The distro tarballs vm:build wrote for the current manifest. */
  image: () => Promise<WslImage>;
  env?: NodeJS.ProcessEnv;
  bootTimeoutMs?: number;
}

type Listeners = { [E in keyof VmBackendEvents]: Set<VmBackendEvents[E]> };

/**
 * WSL 2: the engine runs in the distro `wharf`, its data in `wharf-data`
 * (bind-mounted through /mnt/wsl), both imported from vm:build's tarballs.
 * Wharf starts the distro's init itself and holds it as a child process.
 */
export class WslBackend implements VmBackend {
  readonly name = 'wsl' as const;
  /** CPUs, memory and swap are WSL-wide (.wslconfig) and the data distro grows by itself: nothing restarts this guest. */
  readonly restartKeys: readonly SettingsKey[] = [];
  private machine = new VmStateMachine();
  private listeners: Listeners = { state: new Set(), progress: new Set(), console: new Set() };
  private readonly driver: WslDriver;
  private init?: ChildProcessWithoutNullStreams;
  private dataHolder?: ChildProcessWithoutNullStreams;
  private enginePort?: number;
  private versions?: WslVersions;
  /** Read from the running distro: .wslconfig decides them, not Wharf's settings. */
  private guestResources?: { cpus: number; memoryMiB: number };
  private drives = new Set<string>();
  private ports = new WslPortChecker();

  constructor(private readonly opts: WslBackendOptions) {
    this.driver = new WslDriver({ exe: opts.exe, env: opts.env });
    this.machine.onChange((s) => { for (const fn of this.listeners.state) fn(s); });
  }

  get state(): VmState { return this.machine.state; }

  on<E extends keyof VmBackendEvents>(event: E, fn: VmBackendEvents[E]): () => void {
    (this.listeners[event] as Set<VmBackendEvents[E]>).add(fn);
    return () => (this.listeners[event] as Set<VmBackendEvents[E]>).delete(fn);
  }

  private emitConsole(line: string): void {
    for (const fn of this.listeners.console) fn(line);
    void fs.appendFile(this.opts.paths.consoleLog, line + '\n', { mode: 0o600 }).catch(() => undefined);
  }

  private emitProgress(m: Milestone, startedAt: number): void {
    const p = progressFor(m, startedAt);
    for (const fn of this.listeners.progress) fn(p);
  }

  portForwarder(): PortForwarder | undefined {
    return this.machine.state.state === 'running' ? this.ports : undefined;
  }

  async engineEndpoint(): Promise<EngineEndpoint | undefined> {
    // WSL's localhost forwarding: the distro's listener appears on Windows' loopback.
    return this.enginePort && this.machine.state.state === 'running' ? { host: '127.0.0.1', port: this.enginePort } : undefined;
  }

  /** Windows drives are already in the distro at /mnt/<letter> (wsl.conf automount). */
  guestShares(): GuestShare[] { return []; }

  hostPathMapper(): HostPathMapper {
    return (p) => wslHostPath(p, this.drives);
  }

  async dataStore(): Promise<DataStoreInfo> {
    return { location: `the WSL distro ${DATA_DISTRO} (${this.opts.paths.dataDir})` };
  }

  async runtime(): Promise<VmRuntimeInfo> {
    const versions: Record<string, string> = {};
    if (this.versions?.wsl) versions.wsl = this.versions.wsl;
    if (this.versions?.kernel) versions['wsl-kernel'] = this.versions.kernel;
    return { pid: this.init?.pid, versions, ...(this.guestResources && this.machine.state.state === 'running' ? { resources: this.guestResources } : {}) };
  }

  async openShell(streams: StreamRegistry): Promise<OpenStream> {
    if (this.machine.state.state !== 'running') throw new UserError('The WSL distro is not running. Start it with `wharf start`.', 'vm-stopped');
    const child = this.driver.spawnExec(ENGINE_DISTRO, ['/bin/sh', '-c', 'cd /root; export HOME=/root PS1="wharf# "; exec /bin/sh -i 2>&1']);
    const conn = Duplex.from({ readable: child.stdout, writable: child.stdin });
    conn.on('close', () => child.kill());
    return shellStream(conn, streams);
  }

  async start(config: VmConfig): Promise<void> {
    if (this.machine.state.state === 'running' || this.machine.state.state === 'starting') {
      throw new UserError('Wharf is already running. Use `wharf restart` to restart it.', 'already-running');
    }
    // Checked before anything changes: a WSL that cannot run the engine gets guidance.
    const { problem, versions } = await this.driver.check();
    if (problem) throw wslError(problem);
    this.versions = versions;
    const image = await this.opts.image();
    this.machine.transition('starting');
    const startedAt = Date.now();
    try {
      await this.ensureDistros(image);
      this.dataHolder = await holdDataDistro(this.driver, (line) => this.emitConsole(line));
      this.drives = await this.mountedDrives();
      this.enginePort = await freeLoopbackPort();
      await this.boot(config, startedAt);
      this.guestResources = await this.readGuestResources();
      this.machine.transition('running');
    } catch (err) {
      await this.teardown();
      this.machine.transition('error', errorMessage(err));
      throw err;
    }
  }

  /** Imports what is missing; a new image re-imports the engine distro only (the data distro is never touched). */
  private async ensureDistros(image: WslImage): Promise<void> {
    const { paths } = this.opts;
    const have = await this.driver.list();
    const stamp = await fs.readFile(paths.engineStamp, 'utf8').then((t) => (JSON.parse(t) as { hash?: string }).hash, () => undefined);
    if (have.includes(ENGINE_DISTRO) && stamp !== image.hash) {
      this.emitConsole(`[wharf] the engine image changed (${stamp ?? 'unknown'} -> ${image.hash}); re-importing ${ENGINE_DISTRO}, keeping ${DATA_DISTRO}`);
      await this.driver.terminate(ENGINE_DISTRO);
      await this.driver.unregister(ENGINE_DISTRO);
    }
    if (!have.includes(DATA_DISTRO)) {
      this.emitConsole(`[wharf] importing ${DATA_DISTRO} into ${paths.dataDir}`);
      await fs.mkdir(paths.dataDir, { recursive: true, mode: 0o700 });
      await this.driver.importDistro(DATA_DISTRO, paths.dataDir, image.data);
    }
    if (!have.includes(ENGINE_DISTRO) || stamp !== image.hash) {
      this.emitConsole(`[wharf] importing ${ENGINE_DISTRO} into ${paths.engineDir}`);
      await fs.mkdir(paths.engineDir, { recursive: true, mode: 0o700 });
      await this.driver.importDistro(ENGINE_DISTRO, paths.engineDir, image.rootfs);
      await fs.writeFile(paths.engineStamp, JSON.stringify({ hash: image.hash }) + '\n', { mode: 0o600 });
    }
  }

  /** What WSL's VM gives the distro (nproc, MemTotal); undefined if the distro cannot say. */
  private async readGuestResources(): Promise<{ cpus: number; memoryMiB: number } | undefined> {
    const r = await this.driver.exec(ENGINE_DISTRO, ['/bin/sh', '-c', 'nproc; grep MemTotal /proc/meminfo'], { timeoutMs: 30_000 }).catch(() => undefined);
    const m = r?.code === 0 ? /^(\d+)\s+MemTotal:\s+(\d+)\s+kB/m.exec(r.stdout.toString('utf8')) : null;
    return m ? { cpus: Number(m[1]), memoryMiB: Math.round(Number(m[2]) / 1024) } : undefined;
  }

  private async mountedDrives(): Promise<Set<string>> {
    const r = await this.driver.exec(ENGINE_DISTRO, ['/bin/sh', '-c', 'ls /mnt']);
    return new Set(r.stdout.toString('utf8').split(/\s+/).filter((d) => /^[a-z]$/.test(d)));
  }

  private boot(config: VmConfig, startedAt: number): Promise<void> {
    const timeoutMs = this.opts.bootTimeoutMs ?? 300_000;
    return new Promise((resolve, reject) => {
      const child = this.driver.spawnExec(ENGINE_DISTRO, ['/usr/lib/wharf/wsl-init', DATA_MOUNT], {
        // WSLENV carries these into the distro (/u: from Windows to Linux only).
        env: { WHARF_ENGINE_PORT: String(this.enginePort), WSLENV: 'WHARF_ENGINE_PORT/u' },
      });
      this.init = child;
      let done = false;
      let lastError: string | undefined;
      const finish = (err?: Error) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        if (err) reject(err); else resolve();
      };
      const timer = setTimeout(() => finish(new UserError(`The WSL distro did not become ready within ${timeoutMs / 1000} s. See ${this.opts.paths.consoleLog}.`, 'boot-timeout')), timeoutMs);
      let pending = '';
      const onText = (d: Buffer) => {
        pending += d.toString('utf8');
        let nl;
        while ((nl = pending.indexOf('\n')) >= 0) {
          const line = pending.slice(0, nl).replace(/\r$/, '');
          pending = pending.slice(nl + 1);
          this.emitConsole(line);
          const signal = parseConsoleLine(line);
          if (signal?.kind === 'milestone') {
            this.emitProgress(signal.name, startedAt);
            if (signal.name === 'ready') finish();
          } else if (signal?.kind === 'error') {
            lastError = `${signal.what}: ${signal.reason}`;
          }
        }
      };
      child.stdout.on('data', onText);
      child.stderr.on('data', onText);
      child.on('error', (e) => finish(e));
      child.on('exit', (code) => {
        if (!done) finish(new UserError(`The WSL distro's init exited (code ${code}) before the engine was ready${lastError ? `: ${lastError}` : ''}. See ${this.opts.paths.consoleLog}.`, 'guest-failed'));
        else if (this.machine.state.state === 'running') {
          // WSL terminated the distro under us (a user's `wsl --shutdown`, an update, a crash).
          this.machine.transition('error', `The WSL distro ${ENGINE_DISTRO} stopped unexpectedly (exit code ${code}). Start Wharf again.`);
          void this.teardown();
        }
      });
      child.stdin.on('error', () => undefined);
      void fs.readFile(config.guestConfigTar).then((tar) => child.stdin.end(tar), (e: Error) => finish(e));
    });
  }

  async stop(opts: { timeoutMs?: number } = {}): Promise<void> {
    if (this.machine.state.state === 'stopped') return;
    this.machine.transition('stopping');
    try {
      if (this.init && this.init.exitCode === null) {
        // The same ordered shutdown as the VM's: dockerd stops its containers, then containerd, then unmounts.
        const r = await this.driver.exec(ENGINE_DISTRO, ['/bin/sh', '-c', 'WHARF_CONSOLE=stdout exec /usr/lib/wharf/shutdown'], { timeoutMs: opts.timeoutMs ?? 60_000 })
          .catch((e: Error) => ({ code: -1, words: e.message, stdout: Buffer.alloc(0) }));
        for (const line of r.stdout.toString('utf8').split('\n').filter(Boolean)) this.emitConsole(line);
        if (r.code !== 0) this.emitConsole(`[wharf] the engine shutdown script failed (${r.words}); terminating the distro`);
      }
    } finally {
      await this.teardown();
      this.machine.transition('stopped');
    }
  }

  /** Stops our two distros, never others (no --shutdown). */
  private async teardown(): Promise<void> {
    const init = this.init;
    this.init = undefined;
    await this.driver.terminate(ENGINE_DISTRO).catch(() => undefined);
    init?.kill();
    const holder = this.dataHolder;
    this.dataHolder = undefined;
    await releaseDataDistro(this.driver, holder).catch((e: Error) => this.emitConsole(`[wharf] releasing ${DATA_DISTRO}: ${e.message}`));
    this.enginePort = undefined;
  }

  /** Factory reset only: the one place Wharf runs `wsl --unregister`, on its own two distros. */
  async removeAll(): Promise<void> {
    const have = await this.driver.list();
    for (const name of [ENGINE_DISTRO, DATA_DISTRO]) if (have.includes(name)) await this.driver.unregister(name);
    await fs.rm(this.opts.paths.engineStamp, { force: true });
  }

  /**
   * The init is our child: once the process that held it is gone, nothing
   * supervises the engine. Stop whatever it left and start cleanly instead.
   */
  async reattach(): Promise<boolean> {
    try {
      const running = await this.driver.list();
      if (running.includes(ENGINE_DISTRO)) await this.teardown();
    } catch {}
    return false;
  }
}
