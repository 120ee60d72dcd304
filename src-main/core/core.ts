import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type Docker from 'dockerode';
import { contract, type Contract } from './contract/services.js';
import type { ContractImpl } from './contract/define.js';
import type { Settings } from './contract/settings-schema.js';
import { wharfCache, wharfPaths, type WharfPaths } from './paths.js';
import { EventBus } from './util/event-bus.js';
import { StreamRegistry } from './util/streams.js';
import { createDispatcher, type Dispatch } from './transports/dispatcher.js';
import { EngineControl } from './engine-control.js';
import { createBackend, hostWideResources } from './vm/factory.js';
import { SwitchableBackend } from './vm/switchable.js';
import { findVmAssets, imageDirFor, type VmAssets } from './vm/assets.js';
import { parseConsoleLine } from './vm/milestones.js';
import { createDockerClient, createEngineServices, type EngineServices } from './engine/index.js';
import { PortSync } from './ports/port-sync.js';
import { BindWatchSync, HostFileWatcher } from './vm/file-events.js';
import { SettingsStore } from './settings/store.js';
import { defaultSettings } from './settings/defaults.js';
import { hostInfo, probeHost } from './settings/host-info.js';
import { createSettingsService } from './settings/service.js';
import { createDiagnosticsService } from './diagnostics/service.js';
import { DockerContextStore, WHARF_CONTEXT } from './proxy/docker-context.js';
import { UserError, errorMessage } from './errors.js';
import { guardEngine, removeAllEngineData } from './engine-guard.js';
import { tailFile } from './util/tail-file.js';
import { NoticeFile, coded } from './util/notice-file.js';
import { ensurePrivateDir } from './util/private-dir.js';
import { diskNotice } from './disk-notice.js';
import { ContainerProxySync } from './settings/container-proxies.js';
import { ResourceSaver } from './resource-saver.js';
import { RemoteEngines } from './remote/remote-engines.js';

export interface CoreOptions {
  home?: string;
  cacheDir?: string;
  /** Where vm-assets/ lives, for the manifest hash. */
  repoRoot?: string;
}

export interface Core {
  paths: WharfPaths;
  bus: EventBus;
  streams: StreamRegistry;
  dispatch: Dispatch;
  engine: EngineControl;
  shutdown(): Promise<void>;
}

const defaultRepoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The composition root: one set of services behind the contract, reached by
 * every transport (Electron IPC, control socket, dashboard relay).
 */
export async function createCore(opts: CoreOptions = {}): Promise<Core> {
  const paths = wharfPaths(opts.home);
  const cacheDir = opts.cacheDir ?? wharfCache();
  const bus = new EventBus();
  const streams = new StreamRegistry(bus);
  const probe = await probeHost();
  const store = new SettingsStore({ file: paths.settings, defaults: defaultSettings(probe) });
  const initial = await store.load();
  const savedNotices = new NoticeFile(path.join(paths.home, 'notices.json'));
  // Tightened if it already existed wider: certificates, settings and sockets live here.
  await ensurePrivateDir(paths.home, { followSymlink: true });
  await savedNotices.load(store.notices());
  const contexts = new DockerContextStore();
  const containerProxies = new ContainerProxySync(contexts, initial);
  /** dockerd's refusals of a daemon.json, until the next apply. */
  const daemonJsonNotices: string[] = [];
  // Settings that no longer fit this host (e.g. copied from a bigger machine).
  let hostNotices: string[] = [];
  // The guest's watch service says when the data disk is full (WHARF-DISK lines).
  let diskFull: string | undefined;

  const assets = async (): Promise<VmAssets> => {
    const found = await findVmAssets({ cacheDir, repoRoot: opts.repoRoot ?? defaultRepoRoot });
    if (!found) throw new UserError(`The VM image is not built (looked in ${cacheDir}). Run \`npm run vm:build\`, then start again.`, 'assets-missing');
    return found;
  };
  // A backend this host cannot run still gives a core: its error state says
  // why, and settings stay editable so the user can switch.
  const imageDir = () => imageDirFor({ cacheDir, repoRoot: opts.repoRoot ?? defaultRepoRoot });
  const backend = new SwitchableBackend(createBackend(initial.backend, { paths, assets, imageDir }));

  let docker: Docker | undefined;
  let engineServices: EngineServices | undefined;
  const portSync = new PortSync({
    forwarder: () => backend.portForwarder(),
    listContainers: () => (engineServices ? engineServices.containers.list() : Promise.resolve([])),
    // The engine's own TLS forward lives in the same table; never reconcile it away.
    reserved: () => engine.enginePortForward(),
    log: (line) => engine.log.push(line),
    onNoticesChanged: () => bus.emit('invalidate', { topic: 'engine' }),
  });

  // Host edits in bind-mounted folders, replayed into the guest for watchers in containers.
  const bindWatch = new BindWatchSync({
    watcher: new HostFileWatcher({ changed: (file, mode) => backend.fileEvents?.()?.changed(file, mode) }, (line) => engine.log.push(line)),
    // Synchronized folders are watched whether or not a container mounts them: their copy in
    // the VM must follow every host edit.
    listBindSources: async () => [
      ...(docker ? (await docker.listContainers()).flatMap((c) => (c.Mounts ?? []).filter((m) => m.Type === 'bind').map((m) => m.Source)) : []),
      ...engine.syncs.active.map((s) => s.hostPath),
    ],
    shares: () => store.get().fileShares,
    log: (line) => engine.log.push(line),
  });

  const engine: EngineControl = new EngineControl({
    paths, bus, backend, contexts,
    settings: async () => store.get(),
    // A switch: the old backend is stopped by now; the new one starts with its
    // own data (nothing is migrated; switching back finds the old data again).
    selectBackend: async (settings) => {
      if (settings.backend !== backend.name) backend.replace(createBackend(settings.backend, { paths, assets, imageDir }));
    },
    notices: () => [
      ...coded('disk-full', diskFull ? [diskFull] : []),
      ...coded('settings', savedNotices.list()),
      ...coded('host-fit', hostNotices),
      ...coded('daemon-json-rejected', daemonJsonNotices),
      ...coded('port-forward-failed', portSync.notices()),
    ],
    onEngineUp: async () => {
      // Wharf's own client uses the proxy's internal socket: its pings and event
      // stream are not "use" for Resource Saver, and never wake a sleeping VM.
      docker = createDockerClient({ socketPath: paths.coreDockerSocket });
      engineServices = createEngineServices({ docker, bus, streams });
      engineServices.watcher.onContainerEvent(() => { portSync.schedule(); bindWatch.schedule(); });
      engineServices.connection.on('connected', () => portSync.schedule());
      engineServices.start();
      const v = await docker.version();
      settingsService.markApplied(store.get());
      await portSync.reconcile().catch((err) => engine.log.push(`[ports] ${errorMessage(err)}`));
      bindWatch.schedule();
      return { docker: v.Version, containerd: v.Components?.find((c) => c.Name === 'containerd')?.Version, kernel: v.KernelVersion };
    },
    onEngineDown: async () => {
      portSync.stop();
      bindWatch.stop();
      engineServices?.stop();
      engineServices = undefined;
      docker = undefined;
      streams.closeAll('the engine stopped');
    },
  });

  const saver = new ResourceSaver({
    minutes: () => store.get().resourceSaverMinutes,
    engineUp: () => engine.settledRunning && engineServices !== undefined,
    activity: () => engine.clientActivity,
    runningContainers: async () => (engineServices ? (await engineServices.containers.list()).filter((c) => c.state !== 'exited' && c.state !== 'created' && c.state !== 'dead').length : 0),
    sleep: () => engine.sleep(),
    log: (line) => engine.log.push(line),
  });
  engine.idleSince = () => saver.idleSinceMs;
  saver.start();

  // dockerd refused a new daemon.json: the guest fell back to the last good
  // one; put the saved settings back too and tell the user why.
  let lastGoodDaemonJson: Settings['daemonJson'] = initial.daemonJson;
  backend.on('console', (line) => {
    const signal = parseConsoleLine(line);
    if (signal?.kind === 'disk') {
      const next = diskNotice(signal);
      if (next !== diskFull) { diskFull = next; bus.emit('invalidate', { topic: 'engine' }); }
    }
    if (signal?.kind === 'daemon-json-rejected') {
      daemonJsonNotices.push(`dockerd refused the new daemon.json (${signal.reason}); the previous configuration was restored.`);
      void store.update(async (cur) => ({ ...cur, daemonJson: lastGoodDaemonJson })).then((restored) => {
        // The VM now runs with the restored file: plans compare against that.
        settingsService.markApplied(restored);
        bus.emit('invalidate', { topic: 'settings' });
      }, (err: unknown) => engine.log.push(`[wharf] restoring the previous daemon.json in settings failed: ${errorMessage(err)}`));
    }
  });
  bus.on('vmState', (s) => {
    if (s.state !== 'running') diskFull = undefined;
    if (s.state === 'running' && daemonJsonNotices.length === 0) lastGoodDaemonJson = store.get().daemonJson;
  });

  const settingsService = createSettingsService({
    store,
    host: () => hostInfo(),
    onApply: async () => {
      daemonJsonNotices.splice(0, daemonJsonNotices.length);
      return engine.restart();
    },
    existingDiskGiB: async () => (await backend.dataStore()).sizeGiB,
    vmRestartKeys: () => backend.restartKeys,
    hostWide: (saved) => hostWideResources(saved.backend),
    onChanged: (saved) => {
      void savedNotices.clear().catch((err) => engine.log.push(`[wharf] clearing saved notices: ${errorMessage(err)}`));
      // The docker CLI reads config.json on every run: no restart, just the file.
      void containerProxies.onSettings(saved).catch((err) => engine.log.push(`[wharf] container proxies: ${errorMessage(err)}`));
      bus.emit('invalidate', { topic: 'settings' });
    },
  });

  hostNotices = await settingsService.hostNotices().catch(() => []);
  bus.on('invalidate', ({ topic }) => {
    if (topic === 'settings') void settingsService.hostNotices().then((n) => { hostNotices = n; }, () => undefined);
  });

  const remotes = new RemoteEngines({ bus, streams, localContext: WHARF_CONTEXT, localHost: process.platform === 'win32' ? `npipe://${paths.dockerSocket.replace(/\\/g, '/')}` : `unix://${paths.dockerSocket}` });
  const requireEngine = () => {
    // Another engine (a docker context) feeds the views: the VM's state does not matter.
    if (remotes.services) return remotes.services;
    if (engine.sleeping) {
      throw new UserError('Resource Saver stopped the VM while nothing ran. Any docker command wakes it, or press Start (`wharf start`).', 'resource-saver');
    }
    if (!engineServices || backend.state.state !== 'running') {
      throw new UserError('The engine is not running. Start it with `wharf start` or the Start button.', 'engine-stopped');
    }
    return engineServices;
  };

  const impl: ContractImpl<Contract> = {
    engine: {
      status: async () => ({ ...(await engine.status()), viewTarget: remotes.target }),
      start: () => engine.start(),
      stop: () => engine.stop(),
      restart: () => engine.restart(),
      // After a core restart the ring is empty; the console log on disk still has the story.
      logs: async ({ lines }) => {
        const ring = engine.log.tail(lines);
        return ring.length > 0 ? ring : tailFile(paths.consoleLog, lines);
      },
      followLogs: async () => {
        const stream = streams.open({ kind: 'console', dispose: () => off() });
        const off = engine.log.follow((line) => stream.push(line + '\n'));
        return { streamId: stream.id };
      },
    },
    containers: guardEngine(() => requireEngine().containers),
    images: guardEngine(() => requireEngine().images),
    volumes: guardEngine(() => requireEngine().volumes),
    compose: guardEngine(() => requireEngine().compose),
    networks: guardEngine(() => requireEngine().networks),
    registry: guardEngine(() => requireEngine().registry),
    imageTools: guardEngine(() => requireEngine().imageTools),
    files: guardEngine(() => requireEngine().files),
    vm: {
      host: () => hostInfo(),
      shell: async () => {
        if (backend.state.state !== 'running') throw new UserError('The VM is not running. Start it with `wharf start`.', 'vm-stopped');
        return { streamId: (await backend.openShell(streams)).id };
      },
    },
    settings: settingsService,
    diagnostics: createDiagnosticsService({
      paths,
      versions: async () => {
        const { backend: tools, ...rest } = (await engine.status()).versions;
        return { ...rest, ...tools };
      },
      dockerInfo: async () => {
        if (!docker) throw new Error('engine not running');
        return JSON.stringify(await docker.info(), null, 2);
      },
      hostInfo: () => hostInfo(),
      notices: () => coded('settings', savedNotices.list()),
      removeAllData: async () => {
        if (!docker) throw new UserError('Start the engine first: cleaning data needs it running.', 'engine-stopped');
        await removeAllEngineData(docker);
        for (const topic of ['containers', 'images', 'volumes'] as const) bus.emit('invalidate', { topic });
      },
      beforeFactoryReset: async () => {
        await engine.stop();
        await backend.removeAll();
      },
      afterFactoryReset: async () => {
        await contexts.remove(WHARF_CONTEXT);
        daemonJsonNotices.splice(0, daemonJsonNotices.length);
        await savedNotices.clear();
        // The file is gone; this core goes on with factory defaults, not the old values in memory.
        settingsService.markApplied(await store.load());
        bus.emit('invalidate', { topic: 'settings' });
      },
    }),
    contexts: {
      list: () => remotes.list(),
      select: (name) => remotes.select(name),
      check: (name) => remotes.check(name),
    },
    streams: {
      write: (id, data) => streams.write(id, data),
      resize: (id, cols, rows) => streams.resize(id, cols, rows),
      close: (id) => streams.close(id),
    },
  };

  return {
    paths, bus, streams, engine,
    dispatch: createDispatcher(contract, impl),
    async shutdown() {
      saver.stop();
      remotes.stop();
      portSync.stop();
      engineServices?.stop();
      streams.closeAll('Wharf is shutting down');
    },
  };
}
