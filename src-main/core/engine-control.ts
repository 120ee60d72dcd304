import fs from 'node:fs/promises';
import os from 'node:os';
import type { EngineStatus, Notice, ResourceSaverStatus, VmState } from './contract/types.js';
import type { Settings } from './contract/settings-schema.js';
import type { VmBackend, ForwardSpec } from './vm/backend.js';
import { ensureTlsMaterial, type TlsMaterial } from './proxy/certs.js';
import { DockerSocketProxy, type ProxyActivity } from './proxy/socket-proxy.js';
import { ContextSwitcher, DockerContextStore, WHARF_CONTEXT } from './proxy/docker-context.js';
import { writeGuestConfig } from './vm/guest-config.js';
import { guestSyncs, SyncTracker } from './vm/synced-shares.js';
import { parseConsoleLine } from './vm/milestones.js';
import type { WharfPaths } from './paths.js';
import type { EventBus } from './util/event-bus.js';
import { WHARF_VERSION } from './version.js';
import { UserError, errorMessage } from './errors.js';
import { LogRing } from './util/log-ring.js';
import { engineProxyEnv } from './settings/proxy-values.js';
import { EngineHealth } from './engine-health.js';

export interface EngineControlDeps {
  paths: WharfPaths;
  bus: EventBus;
  backend: VmBackend;
  settings: () => Promise<Settings>;
  contexts?: DockerContextStore;
  /** Called once the engine answers through the host socket; returns dockerd's versions. */
  onEngineUp: () => Promise<{ docker?: string; containerd?: string; kernel?: string }>;
  onEngineDown: () => Promise<void>;
  /** Before each start, with the backend stopped: point it at the backend the settings name. */
  selectBackend?: (settings: Settings) => Promise<void>;
  notices: () => Notice[];
}

/**
 * Orchestrates one engine lifecycle on top of the VM backend: certificates,
 * the guest config, the VM, the host socket proxy and the docker context — in
 * that order up, and the reverse down.
 */
export class EngineControl {
  private readonly proxy: DockerSocketProxy;
  private readonly contexts: ContextSwitcher;
  readonly log = new LogRing(5000);
  private versions: EngineStatus['versions'] = { wharf: WHARF_VERSION };
  private busy?: Promise<unknown>;
  private lastConfig?: { cpus: number; memoryMiB: number; diskGiB: number };
  private tls?: TlsMaterial;
  private saver: Omit<ResourceSaverStatus, 'minutes'> = { sleeping: false };
  /** Set by whoever runs Resource Saver, for the status. */
  idleSince?: () => number | undefined;
  private inFlight = false;
  /** Bounded pings of dockerd while the engine runs; see engine-health.ts. */
  private readonly health: EngineHealth;

  constructor(private readonly deps: EngineControlDeps) {
    this.proxy = new DockerSocketProxy(deps.paths.dockerSocket, { internalPath: deps.paths.coreDockerSocket });
    this.health = new EngineHealth({
      ping: (ms) => this.proxy.ping(ms),
      onChange: (answering) => {
        this.proxy.setUnavailable(answering ? undefined : this.notAnsweringNotice().message);
        this.log.push(answering ? '[wharf] the engine answers again' : `[wharf] ${this.notAnsweringNotice().message}`);
        deps.bus.emit('invalidate', { topic: 'engine' });
      },
    });
    // A VM that exited or is being stopped is reported by its state; pings would only add noise.
    deps.backend.on('state', (s) => { if (s.state !== 'running') this.health.stop(); });
    this.contexts = new ContextSwitcher(deps.contexts ?? new DockerContextStore(), `${deps.paths.run}/previous-docker-context.json`);
    deps.backend.on('state', (s) => deps.bus.emit('vmState', s));
    deps.backend.on('progress', (p) => deps.bus.emit('bootProgress', p));
    deps.backend.on('console', (line) => {
      this.log.push(line);
      if (this.syncs.onSignal(parseConsoleLine(line))) deps.bus.emit('invalidate', { topic: 'engine' });
    });
  }

  /** Synchronized folders of the running VM and what the guest last said of each. */
  readonly syncs = new SyncTracker();

  get vmState(): VmState {
    return this.deps.backend.state;
  }

  /** Serialises start/stop/restart so two clients cannot interleave them. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = (this.busy ?? Promise.resolve()).catch(() => undefined).then(async () => {
      this.inFlight = true;
      try {
        return await fn();
      } finally {
        this.inFlight = false;
      }
    });
    this.busy = run;
    return run;
  }

  /** Up and settled: running, and no start, stop or restart under way. */
  get settledRunning(): boolean {
    return !this.inFlight && this.deps.backend.state.state === 'running';
  }

  get clientActivity(): ProxyActivity {
    return this.proxy.activity;
  }

  get sleeping(): boolean {
    return this.saver.sleeping;
  }

  resourceSaverStatus(minutes: number, idleSince?: number): ResourceSaverStatus {
    return { minutes, ...this.saver, idleSince: this.saver.sleeping ? undefined : idleSince };
  }

  /**
   * Resource Saver: stops the VM (its memory goes back to the host) but keeps
   * the docker socket and the context. The next client connection wakes it.
   */
  sleep(): Promise<void> {
    return this.exclusive(async () => {
      if (this.deps.backend.state.state !== 'running') return;
      const before = (await this.deps.backend.runtime()).hostMemoryBytes;
      // A stopped engine is meant: no health pings, and clients are held (not refused) until it is back.
      this.health.stop();
      this.proxy.setUnavailable(undefined);
      await this.deps.onEngineDown().catch(() => undefined);
      this.proxy.suspend(() => this.wake().then(() => undefined));
      await this.deps.backend.stop();
      this.saver = { ...this.saver, sleeping: true, sleptAt: Date.now(), memoryReturnedBytes: before };
      this.deps.bus.emit('vmState', { state: 'stopped', resourceSaver: true });
      this.log.push(`[resource saver] the VM is stopped; ${before ? `${Math.round(before / 2 ** 20)} MiB returned to the host; ` : ''}the next docker command wakes it`);
      this.deps.bus.emit('invalidate', { topic: 'engine' });
    });
  }

  /** Starts the engine again after Resource Saver stopped it (or just starts it). */
  wake(): Promise<EngineStatus> {
    return this.exclusive(async () => {
      if (this.deps.backend.state.state === 'running') return this.status();
      const t0 = Date.now();
      const status = await this.boot();
      if (this.saver.sleeping) {
        this.saver = { ...this.saver, sleeping: false, lastWakeSeconds: (Date.now() - t0) / 1000 };
        this.log.push(`[resource saver] woke in ${this.saver.lastWakeSeconds!.toFixed(1)} s`);
      }
      return status;
    });
  }

  async status(): Promise<EngineStatus> {
    const rt = await this.deps.backend.runtime();
    const settings = await this.deps.settings();
    // Stopped, the next start uses the saved backend (a switch saved with `wharf set` or
    // Settings takes effect then): the tray and the status bar name that one.
    const backend = this.deps.backend.state.state === 'stopped' ? settings.backend : this.deps.backend.name;
    return {
      vm: this.saver.sleeping && this.deps.backend.state.state === 'stopped' ? { state: 'stopped', resourceSaver: true } : this.deps.backend.state,
      backend,
      accelerator: rt.accelerator,
      guestArch: rt.guestArch,
      fileSharing: rt.fileSharing,
      ...(this.syncs.active.length && this.deps.backend.state.state !== 'stopped' ? { syncedShares: this.syncs.list() } : {}),
      socketPath: this.deps.paths.dockerSocket,
      dockerContext: WHARF_CONTEXT,
      versions: { ...this.versions, ...(rt.versions ? { backend: rt.versions } : {}) },
      resources: rt.resources ?? this.lastConfig,
      vmHostMemoryBytes: rt.hostMemoryBytes,
      notices: [...(this.health.isAnswering ? [] : [this.notAnsweringNotice()]), ...this.deps.notices(), ...(rt.notices ?? [])],
      resourceSaver: this.resourceSaverStatus(settings.resourceSaverMinutes, this.idleSince?.()),
    };
  }

  private notAnsweringNotice(): Notice {
    const s = Math.max(1, Math.round(this.health.silentMs / 1000));
    return { code: 'engine-not-answering', message: `The engine is not answering (no reply from dockerd for ${s} s). Docker commands get an error until it answers again; Wharf keeps checking. If it stays like this, run \`wharf restart\`.` };
  }

  start(): Promise<EngineStatus> {
    if (this.saver.sleeping) return this.wake();
    return this.exclusive(async () => {
      const state = this.deps.backend.state.state;
      if (state === 'running') throw new UserError('Wharf is already running. Use `wharf restart` to restart it.', 'already-running');
      return this.boot();
    });
  }

  private async boot(): Promise<EngineStatus> {
    await this.prepareDirs();
    const settings = await this.deps.settings();
    await this.deps.selectBackend?.(settings);
    this.tls = await ensureTlsMaterial(this.deps.paths.certs);
    const guestConfigTar = `${this.deps.paths.run}/guest-config.tar`;
    const syncs = guestSyncs(settings.syncedShares, this.deps.backend.hostPathMapper?.());
    this.syncs.reset(syncs);
    await writeGuestConfig(guestConfigTar, {
      syncs: syncs.map((s) => ({ id: s.id, path: s.guestPath })),
      tls: this.tls,
      daemonJson: settings.daemonJson,
      shares: this.deps.backend.guestShares(settings.fileShares),
      env: {
        HOST_UID: String(os.userInfo().uid), HOST_GID: String(os.userInfo().gid),
        ...engineProxyEnv({ http: settings.httpProxy, https: settings.httpsProxy, noProxy: settings.noProxy }),
      },
    });
    this.log.push(`[wharf] starting: ${settings.cpus} CPUs, ${settings.memory} MiB, disk ${settings.disk} GiB, accelerator ${settings.accelerator}`);
    try {
      await this.deps.backend.start({
        cpus: settings.cpus, memoryMiB: settings.memory, swapMiB: settings.swap, diskGiB: settings.disk,
        accelerator: settings.accelerator, fileShares: settings.fileShares, fileSharing: settings.fileSharing, guestConfigTar,
      });
    } finally {
      // The tar carries the server key; the guest has read it by now.
      await fs.rm(guestConfigTar, { force: true });
    }
    this.lastConfig = { cpus: settings.cpus, memoryMiB: settings.memory, diskGiB: settings.disk };
    await this.attachHostSide(settings.switchContext);
    return this.status();
  }

  /** After a VM boot or a reattach: the socket, the context, the engine client. */
  private async attachHostSide(switchContext: boolean): Promise<void> {
    const endpoint = await this.deps.backend.engineEndpoint();
    if (!endpoint) throw new Error(`the ${this.deps.backend.name} backend reports no engine endpoint`);
    this.tls ??= await ensureTlsMaterial(this.deps.paths.certs);
    await this.proxy.start({ host: endpoint.host, port: endpoint.port, tls: this.tls, mapHostPath: this.syncs.mapper(this.deps.backend.hostPathMapper?.()), cipherPreference: endpoint.tlsCipherPreference });
    this.proxy.setUnavailable(undefined);
    await this.contexts.install(this.deps.paths.dockerSocket, switchContext);
    try {
      this.versions = { wharf: WHARF_VERSION, ...(await this.deps.onEngineUp()) };
    } catch (err) {
      this.log.push(`[wharf] engine client: ${errorMessage(err)}`);
    }
    this.health.start();
    this.deps.bus.emit('invalidate', { topic: 'engine' });
  }

  /** Picks up a VM a previous host process left running. */
  async reattach(): Promise<boolean> {
    return this.exclusive(async () => {
      await this.prepareDirs();
      if (!(await this.deps.backend.reattach())) return false;
      const settings = await this.deps.settings();
      this.lastConfig = { cpus: settings.cpus, memoryMiB: settings.memory, diskGiB: settings.disk };
      // The guest reported its first syncs to the process that booted it; a VM old enough
      // to be reattached has long finished them (a failure since shows in `wharf logs`).
      this.syncs.reset(guestSyncs(settings.syncedShares, this.deps.backend.hostPathMapper?.()), 'ready');
      await this.attachHostSide(settings.switchContext);
      return true;
    });
  }

  stop(): Promise<EngineStatus> {
    return this.exclusive(async () => {
      this.saver = { ...this.saver, sleeping: false };
      await this.detachHostSide();
      await this.deps.backend.stop();
      this.deps.bus.emit('invalidate', { topic: 'engine' });
      return this.status();
    });
  }

  private async detachHostSide(): Promise<void> {
    this.health.stop();
    await this.deps.onEngineDown().catch(() => undefined);
    await this.contexts.restore().catch((err) => this.log.push(`[wharf] could not restore the docker context: ${errorMessage(err)}`));
    await this.proxy.stop();
  }

  async restart(): Promise<EngineStatus> {
    if (this.deps.backend.state.state !== 'stopped') await this.stop();
    return this.start();
  }

  enginePortForward(): Promise<ForwardSpec[]> {
    return this.deps.backend.engineEndpoint().then((e) => (e?.reservedForward ? [e.reservedForward] : []));
  }

  private async prepareDirs(): Promise<void> {
    for (const dir of [this.deps.paths.home, this.deps.paths.run, this.deps.paths.logs, this.deps.paths.disks]) {
      await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    }
    await fs.chmod(this.deps.paths.run, 0o700);
  }
}
