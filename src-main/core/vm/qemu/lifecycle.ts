import fs from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import type { Accelerator, Notice, VmState } from '../../contract/types.js';
import { coded } from '../../util/notice-file.js';
import type { FileEventSink } from '../file-events.js';
import type { DataStoreInfo, EngineEndpoint, GuestShare, PortForwarder, VmBackend, VmBackendEvents, VmConfig, VmRuntimeInfo } from '../backend.js';
import type { SettingsKey } from '../../contract/settings-schema.js';
import type { OpenStream, StreamRegistry } from '../../util/streams.js';
import { VmStateMachine } from '../state-machine.js';
import { ConsoleTail } from '../console-tail.js';
import { parseConsoleLine, progressFor, type Milestone } from '../milestones.js';
import { ensureDataDisk } from '../data-disk.js';
import { isAlive, readPid, rssBytes, waitForExit } from '../process-util.js';
import { processIdentity, signalIfSame, type ProcessIdentity } from '../process-identity.js';
import type { VmAssets } from '../assets.js';
import { wharfCache } from '../../paths.js';
import type { QemuPaths } from './paths.js';
import { openVmShell } from './shell-session.js';
import { UserError, errorMessage } from '../../errors.js';
import { freeLoopbackPort } from '../../util/free-port.js';
import { monotonicMs } from '../../util/clock.js';
import { buildQemuArgs, GUEST_DOCKER_TLS_PORT, parseSyncNice, qemuArchOf, type Qemu9pShare, type QemuShare } from './args.js';
import { chooseFileSharing, type FileSharingChoice } from './file-sharing.js';
import { QmpClient } from './qmp.js';
import { QemuPortForwarder } from './port-forwarder.js';
import { acceleratorPlan, acceleratorVerdictFile, isAcceleratorFailure, kvmUsable, readVerdicts, recordVerdict } from './accelerator.js';
import { findQemu } from './qemu-binary.js';
import { findVirtiofsd, parseVirtiofsTuning, startVirtiofsd, type VirtiofsTuning } from './virtiofs.js';
import { FileEventChannel } from './file-event-channel.js';
import { openFileLimit, shareLimitNotices, virtiofsdNofile } from './virtiofs-limits.js';
import { stopVirtiofsdLeftovers } from './virtiofsd-processes.js';

export interface QemuBackendOptions {
  paths: QemuPaths;
  /** Where per-host facts live (accelerator verdicts); $WHARF_CACHE by default. */
  cacheDir?: string;
  assets: () => Promise<VmAssets>;
  platform?: NodeJS.Platform;
  /** How long the native accelerator gets to print its first console byte. */
  watchdogMs?: number;
  /** How long a boot may take to reach 'ready'. TCG on a slow host needs minutes. */
  bootTimeoutMs?: number;
}

interface SavedRuntime {
  pid: number;
  /** The process's start time (process-identity.ts): with the pid, who "our QEMU" is. Absent in files written before it existed. */
  startTime?: string;
  accelerator: Accelerator;
  enginePort: number;
  qemuVersion: string;
  startedAt: number;
  guestArch?: VmAssets['arch'];
  fileSharing?: FileSharingChoice;
}

type Listeners = { [E in keyof VmBackendEvents]: Set<VmBackendEvents[E]> };

class BootFailure extends Error {
  constructor(message: string, readonly acceleratorBroken: boolean) { super(message); }
}

/** QEMU backend: boot with an accelerator watchdog, QMP control, pidfile reattach. */
export class QemuBackend implements VmBackend {
  readonly name = 'qemu' as const;
  /** QEMU fixes all of these at launch. */
  readonly restartKeys: readonly SettingsKey[] = ['cpus', 'memory', 'swap', 'disk', 'accelerator', 'fileShares', 'fileSharing', 'syncedShares'];
  private machine = new VmStateMachine();
  private listeners: Listeners = { state: new Set(), progress: new Set(), console: new Set() };
  private qmp?: QmpClient;
  private tail?: ConsoleTail;
  private saved?: SavedRuntime;
  private forwarder = new QemuPortForwarder(() => this.qmp);
  private exitWatch?: NodeJS.Timeout;
  private readonly platform: NodeJS.Platform;
  /** Shared folders larger than virtiofsd's descriptor limit (filled in after boot). */
  private shareNotices: Notice[] = [];
  private events?: FileEventChannel;

  constructor(private readonly opts: QemuBackendOptions) {
    this.platform = opts.platform ?? process.platform;
    this.machine.onChange((s) => { for (const fn of this.listeners.state) fn(s); });
  }

  get state(): VmState {
    return this.machine.state;
  }

  on<E extends keyof VmBackendEvents>(event: E, fn: VmBackendEvents[E]): () => void {
    (this.listeners[event] as Set<VmBackendEvents[E]>).add(fn);
    return () => (this.listeners[event] as Set<VmBackendEvents[E]>).delete(fn);
  }

  portForwarder(): PortForwarder | undefined {
    return this.machine.state.state === 'running' ? this.forwarder : undefined;
  }

  fileEvents(): FileEventSink | undefined {
    return this.machine.state.state === 'running' ? this.events : undefined;
  }

  private get eventsSocket(): string {
    return path.join(this.opts.paths.run, 'events.sock');
  }

  async runtime(): Promise<VmRuntimeInfo> {
    const s = this.saved;
    if (!s) return {};
    return {
      accelerator: s.accelerator, enginePort: s.enginePort, pid: s.pid, versions: { qemu: s.qemuVersion }, hostMemoryBytes: await rssBytes(s.pid),
      notices: this.shareNotices, guestArch: s.guestArch, fileSharing: s.fileSharing,
    };
  }

  async engineEndpoint(): Promise<EngineEndpoint | undefined> {
    const port = this.saved?.enginePort;
    if (!port) return undefined;
    // The engine's hostfwd sits in the same user-net table as published ports.
    return {
      host: '127.0.0.1', port, reservedForward: { protocol: 'tcp', hostIp: '127.0.0.1', hostPort: port, guestPort: GUEST_DOCKER_TLS_PORT },
      // TCG emulates AES instructions one helper call at a time; ChaCha20 is plain arithmetic.
      tlsCipherPreference: this.saved?.accelerator === 'tcg' ? 'chacha20' : 'default',
    };
  }

  /** Tags follow the order start() launches virtiofsd in (share0, share1, …), and the same for 9p. */
  guestShares(fileShares: string[]): GuestShare[] {
    return fileShares.map((p, i) => ({ tag: `share${i}`, path: p }));
  }

  openShell(streams: StreamRegistry): Promise<OpenStream> {
    return openVmShell(this.opts.paths.shellSocket, streams);
  }

  async dataStore(): Promise<DataStoreInfo> {
    const stat = await fs.stat(this.opts.paths.dataDisk).catch(() => undefined);
    return { location: this.opts.paths.dataDisk, sizeGiB: stat ? Math.floor(stat.size / 1024 ** 3) : undefined };
  }

  async start(config: VmConfig): Promise<void> {
    if (this.machine.state.state === 'running' || this.machine.state.state === 'starting') {
      throw new UserError('Wharf is already running. Use `wharf restart` to restart it.', 'already-running');
    }
    const { paths } = this.opts;
    // Everything that can be checked before booting is checked first, so bad
    // input never leaves a half-started VM behind.
    const assets = await this.opts.assets();
    const guestArch = qemuArchOf(assets.arch);
    const qemu = await findQemu(process.env, this.platform, guestArch);
    const tuning = parseVirtiofsTuning(process.env.WHARF_VIRTIOFS_TUNING);
    const syncNice = parseSyncNice(process.env.WHARF_SYNC_NICE);
    this.machine.transition('starting');
    // Boot progress is measured on the monotonic clock; the saved start time is wall-clock.
    const startedAt = monotonicMs();
    try {
      await fs.mkdir(paths.disks, { recursive: true, mode: 0o700 });
      await fs.mkdir(paths.logs, { recursive: true, mode: 0o700 });
      await ensureDataDisk(paths.dataDisk, config.diskGiB);
      // A verdict is a fact about this host and this QEMU, not about one home:
      // kept in the cache so a new WHARF_HOME does not probe a broken KVM again.
      const verdictFile = acceleratorVerdictFile(this.opts.cacheDir ?? wharfCache());
      const plan = acceleratorPlan({
        requested: config.accelerator,
        platform: this.platform,
        nativeAvailable: this.platform === 'linux' ? await kvmUsable() : true,
        verdicts: await readVerdicts(verdictFile),
        qemuVersion: qemu.version,
        hostArch: process.arch,
        guestArch,
      });
      let lastError: Error | undefined;
      for (const accelerator of plan) {
        try {
          await this.boot({ accelerator, config, qemuPath: qemu.path, qemuVersion: qemu.version, assets, startedAt, tuning, syncNice, native: accelerator !== 'tcg' && plan.length > 1 });
          this.machine.transition('running');
          return;
        } catch (err) {
          lastError = err as Error;
          await this.killLeftovers();
          const broken = err instanceof BootFailure && err.acceleratorBroken;
          if (broken && plan.length > 1 && accelerator !== 'tcg') {
            await recordVerdict(verdictFile, { accelerator, works: false, qemuVersion: qemu.version, reason: err.message, at: new Date().toISOString() });
            this.emitConsole(`[wharf] accelerator ${accelerator} failed (${err.message}); falling back to tcg (software emulation)`);
            continue;
          }
          break;
        }
      }
      throw lastError ?? new Error('no accelerator to try');
    } catch (err) {
      await this.killLeftovers();
      this.machine.transition('error', errorMessage(err));
      throw err;
    }
  }

  private async boot(o: { accelerator: Accelerator; config: VmConfig; qemuPath: string; qemuVersion: string; assets: VmAssets; startedAt: number; tuning: VirtiofsTuning; syncNice?: number; native: boolean }): Promise<void> {
    const { paths } = this.opts;
    await fs.rm(paths.consoleLog + '.1', { force: true });
    await fs.rename(paths.consoleLog, paths.consoleLog + '.1').catch(() => undefined);
    await fs.writeFile(paths.consoleLog, '', { mode: 0o600 });
    for (const f of [paths.qmpSocket, paths.shellSocket, paths.pidFile, this.eventsSocket]) await fs.rm(f, { force: true });
    const enginePort = await freeLoopbackPort();
    const sharing = chooseFileSharing({ setting: o.config.fileSharing ?? 'auto', platform: this.platform, virtiofsd: !!(await findVirtiofsd()) });
    let shares: QemuShare[] = [];
    let shares9p: Qemu9pShare[] = [];
    const fileLimit = await openFileLimit();
    const nofile = virtiofsdNofile(fileLimit);
    this.shareNotices = [];
    // The guest mounts each tag with the kind of device that carries it (vm-assets/README.md, "shares").
    if (sharing.mechanism === 'virtiofs') {
      shares = await startVirtiofsd(paths.run, o.config.fileShares, { tuning: o.tuning, nofile });
      // Counted while the VM boots; `wharf status` and the UI show it once known.
      void shareLimitNotices(o.config.fileShares, fileLimit).then((n) => { this.shareNotices = coded('share-file-limit', n); }, () => undefined);
    } else if (sharing.mechanism === '9p') shares9p = o.config.fileShares.map((p, i) => ({ tag: `share${i}`, path: p }));
    else if (o.config.fileShares.length) this.emitConsole(`[wharf] not sharing ${o.config.fileShares.length} folder(s): ${sharing.reason}`);
    const args = buildQemuArgs({
      accelerator: o.accelerator, cpus: o.config.cpus, memoryMiB: o.config.memoryMiB, swapMiB: o.config.swapMiB,
      kernel: o.assets.kernel, initrd: o.assets.initrd, rootfs: o.assets.rootfs, dataDisk: paths.dataDisk,
      guestConfigTar: o.config.guestConfigTar, consoleLog: paths.consoleLog, qmpSocket: paths.qmpSocket,
      shellSocket: paths.shellSocket, pidFile: paths.pidFile, enginePort, shares, shares9p, platform: this.platform,
      arch: qemuArchOf(o.assets.arch),
      syncNice: o.syncNice,
      shareFileLimit: shares.length > 0 ? nofile : undefined,
      // 9p has no host notifications either: its shares need the replayed events as much as virtio-fs ones.
      eventsSocket: shares.length > 0 || shares9p.length > 0 ? this.eventsSocket : undefined,
    });
    this.emitConsole(`[wharf] starting qemu-system-${qemuArchOf(o.assets.arch)} with accelerator ${o.accelerator}; file sharing: ${sharing.mechanism} (${sharing.reason})`);
    const launch = await this.launch(o.qemuPath, args);
    if (launch.code !== 0) {
      // Only the accelerator's own errors condemn it; a locked disk or a taken port would fail under TCG too.
      throw new BootFailure(`QEMU failed to start: ${launch.stderr.trim().split('\n').slice(-3).join(' ') || `exit code ${launch.code}`}`, o.native && isAcceleratorFailure(launch.stderr));
    }
    const pid = await readPid(paths.pidFile);
    if (!pid) throw new BootFailure('QEMU started but wrote no pidfile', false);
    const identity = await this.ourQemu(pid);
    if (!identity) {
      // Gone already: the native accelerator aborting as the guest starts (nested KVM) looks like this.
      if (!isAlive(pid)) throw new BootFailure(`QEMU exited during boot before any console output; see ${paths.consoleLog}`, o.native);
      throw new BootFailure(`QEMU wrote pid ${pid} to its pidfile, but that process is not this VM's QEMU`, false);
    }
    this.saved = {
      pid, startTime: identity.startTime, accelerator: o.accelerator, enginePort, qemuVersion: o.qemuVersion, startedAt: Date.now(),
      guestArch: o.assets.arch, fileSharing: sharing,
    };
    await this.waitForBoot(pid, o);
    this.qmp = await QmpClient.connect(paths.qmpSocket);
    await fs.writeFile(paths.stateFile, JSON.stringify(this.saved), { mode: 0o600 });
    this.openEvents();
    this.watchExit(pid);
  }

  private launch(qemuPath: string, args: string[]): Promise<{ code: number | null; stderr: string }> {
    return new Promise((resolve, reject) => {
      // -daemonize: the parent exits once the VM is set up; the VM outlives us
      // so a new host process can reattach through the pidfile.
      const child = spawn(qemuPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stderr }));
    });
  }

  /** Watches the console for milestones; the first output must come quickly under a hardware accelerator. */
  private waitForBoot(pid: number, o: { accelerator: Accelerator; startedAt: number; native: boolean }): Promise<void> {
    const watchdogMs = this.opts.watchdogMs ?? 10_000;
    const bootTimeoutMs = this.opts.bootTimeoutMs ?? 600_000;
    return new Promise<void>((resolve, reject) => {
      let sawOutput = false;
      let done = false;
      let lastGuestError: { what: string; reason: string } | undefined;
      const finish = (err?: Error) => {
        if (done) return;
        done = true;
        clearTimeout(watchdog);
        clearTimeout(overall);
        clearInterval(alive);
        if (err) { this.tail?.stop(); reject(err); } else resolve();
      };
      this.tail?.stop();
      this.tail = new ConsoleTail(this.opts.paths.consoleLog, (line) => {
        this.emitConsole(line);
        const signal = parseConsoleLine(line);
        if (!signal) return;
        if (!sawOutput) { sawOutput = true; this.emitProgress('kernel', o.startedAt); }
        if (signal.kind === 'milestone') {
          this.emitProgress(signal.name, o.startedAt);
          if (signal.name === 'ready') finish();
        } else if (signal.kind === 'error') {
          // Fatal guest errors power the VM off right after; warnings (resize, swap) do not.
          lastGuestError = signal;
        }
      });
      this.tail.start();
      const watchdog = setTimeout(() => {
        if (!sawOutput && o.native) finish(new BootFailure(`no console output within ${watchdogMs / 1000} s`, true));
      }, watchdogMs);
      const overall = setTimeout(() => finish(new UserError(`The VM did not become ready within ${bootTimeoutMs / 1000} s. See ${this.opts.paths.consoleLog}.`, 'boot-timeout')), bootTimeoutMs);
      const alive = setInterval(() => {
        if (!isAlive(pid)) {
          void this.tail?.poll().then(() => finish(lastGuestError
            ? new UserError(describeGuestError(lastGuestError.what, lastGuestError.reason, this.opts.paths.dataDisk), `guest-${lastGuestError.what}`)
            : new BootFailure(`QEMU exited during boot${sawOutput ? '' : ' before any console output'}; see ${this.opts.paths.consoleLog}`, o.native && !sawOutput)));
        }
      }, 250);
    });
  }

  private openEvents(): void {
    this.events?.close();
    this.events = new FileEventChannel(this.eventsSocket, (line) => this.emitConsole(line));
    // Only VMs with shared folders have the port; the others have no socket to connect to.
    if (existsSync(this.eventsSocket)) this.events.open();
  }

  private emitConsole(line: string): void {
    for (const fn of this.listeners.console) fn(line);
  }

  private emitProgress(milestone: Milestone, startedAt: number): void {
    const p = progressFor(milestone, startedAt);
    for (const fn of this.listeners.progress) fn(p);
  }

  /**
   * The process behind pid, if it is this VM's QEMU: a qemu-system command
   * line that names this WHARF_HOME's pidfile. Anything else is a pid the
   * kernel has given to someone else.
   */
  private async ourQemu(pid: number | undefined, startTime?: string): Promise<ProcessIdentity | undefined> {
    if (!pid) return undefined;
    const id = await processIdentity(pid);
    if (!id || !this.isOurQemuCommand(id.command)) return undefined;
    if (startTime !== undefined && id.startTime !== startTime) return undefined;
    return id;
  }

  private isOurQemuCommand = (command: string): boolean => /qemu-system/.test(command) && command.includes(this.opts.paths.pidFile);

  /** Signals QEMU only if the pid still is the process recorded as ours (checked right before). */
  private async signalQemu(qemu: ProcessIdentity, signal: NodeJS.Signals): Promise<void> {
    if (!(await signalIfSame(qemu, signal, this.isOurQemuCommand))) {
      if (isAlive(qemu.pid)) this.emitConsole(`[wharf] pid ${qemu.pid} is no longer this VM's QEMU; not sending it ${signal}`);
    }
  }

  private watchExit(pid: number): void {
    clearInterval(this.exitWatch);
    this.exitWatch = setInterval(() => {
      if (isAlive(pid)) return;
      clearInterval(this.exitWatch);
      this.tail?.stop();
      this.qmp?.close();
      this.qmp = undefined;
      // The pid is free for the kernel to reuse: forget it, so nothing signals it later.
      if (this.saved?.pid === pid) this.saved = undefined;
      if (this.machine.state.state === 'running') {
        this.machine.transition('error', `The VM exited unexpectedly; see ${this.opts.paths.consoleLog}`);
        void this.cleanupRunFiles();
      }
      // A kill(pid, 0) is cheap; the issue promises the error state within 2 s, and on a
      // loaded host a 500 ms poll plus event-loop lag measured 2.1 s.
    }, 200);
  }

  async stop(opts: { timeoutMs?: number } = {}): Promise<void> {
    const state = this.machine.state.state;
    if (state === 'stopped') return;
    const saved = this.saved;
    const qemu = await this.ourQemu(saved?.pid ?? (await readPid(this.opts.paths.pidFile)), saved?.startTime);
    this.machine.transition('stopping');
    clearInterval(this.exitWatch);
    try {
      if (qemu) {
        const pid = qemu.pid;
        try {
          this.qmp ??= await QmpClient.connect(this.opts.paths.qmpSocket, 3000);
          await this.qmp.execute('system_powerdown');
        } catch (err) {
          this.emitConsole(`[wharf] ACPI power-off failed: ${errorMessage(err)}`);
        }
        const clean = await waitForExit(pid, opts.timeoutMs ?? 60_000);
        if (!clean) {
          this.emitConsole('[wharf] the guest did not power off in time; killing QEMU');
          await this.signalQemu(qemu, 'SIGKILL');
          await waitForExit(pid, 5000);
        }
      }
      await this.tail?.poll();
    } finally {
      this.tail?.stop();
      this.events?.close();
      this.qmp?.close();
      this.qmp = undefined;
      this.saved = undefined;
      await this.cleanupRunFiles();
      this.machine.transition('stopped');
    }
  }

  async reattach(): Promise<boolean> {
    const { paths } = this.opts;
    let saved: SavedRuntime;
    try {
      saved = JSON.parse(await fs.readFile(paths.stateFile, 'utf8')) as SavedRuntime;
    } catch {
      return false;
    }
    const qemu = await this.ourQemu(saved.pid, saved.startTime);
    if (!qemu) {
      await this.cleanupRunFiles();
      return false;
    }
    this.saved = { ...saved, startTime: qemu.startTime };
    this.machine.transition('starting');
    try {
      this.qmp = await QmpClient.connect(paths.qmpSocket);
    } catch (err) {
      this.machine.transition('error', `found a VM (pid ${saved.pid}) but could not reach its QMP socket: ${errorMessage(err)}`);
      return true;
    }
    const stat = await fs.stat(paths.consoleLog).catch(() => undefined);
    this.tail = new ConsoleTail(paths.consoleLog, (line) => this.emitConsole(line));
    this.tail.start(stat?.size ?? 0);
    this.openEvents();
    this.watchExit(saved.pid);
    this.machine.transition('running');
    return true;
  }

  private async killLeftovers(): Promise<void> {
    const qemu = await this.ourQemu(await readPid(this.opts.paths.pidFile));
    if (qemu) {
      await this.signalQemu(qemu, 'SIGKILL');
      await waitForExit(qemu.pid, 5000);
    }
    this.qmp?.close();
    this.qmp = undefined;
    this.saved = undefined;
    await this.cleanupRunFiles();
  }

  private async cleanupRunFiles(): Promise<void> {
    const { paths } = this.opts;
    for (const f of [paths.qmpSocket, paths.shellSocket, paths.pidFile, paths.stateFile, this.eventsSocket]) await fs.rm(f, { force: true });
    // QEMU is gone: a virtiofsd it never connected to would wait for it forever.
    await stopVirtiofsdLeftovers(paths.run);
    // virtiofsd leaves its socket behind when QEMU hangs up.
    for (const f of await fs.readdir(paths.run).catch(() => [] as string[])) {
      if (/^virtiofs-\d+\.sock$/.test(f)) await fs.rm(`${paths.run}/${f}`, { force: true });
    }
  }
}

function describeGuestError(what: string, reason: string, dataDisk: string): string {
  if (what === 'data-disk') {
    return `The data disk ${dataDisk} could not be mounted (${reason}). Nothing was changed on it. Move it aside to keep it, or run \`wharf reset\` to start over.`;
  }
  return `The VM reported an error in ${what}: ${reason}`;
}
