import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import type { ApplyPlan, EngineStatus, HostInfo, Settings, SettingsPatch } from '../../../src-main/core/contract/index.js';
import { setTransportForTests } from '../../../src-renderer/ipc/index.js';
import { createSettingsStore, formatDaemonJson, parseDaemonText } from '../../../src-renderer/stores/settings-store.js';
import { FakeTransport, NamedError, tick } from './fake-transport.js';

const saved = (): Settings => ({
  version: 3,
  cpus: 2,
  memory: 2048,
  swap: 1024,
  disk: 64,
  accelerator: 'auto',
  backend: 'qemu',
  switchContext: true,
  fileShares: ['/home/u'],
  fileSharing: 'auto',
  syncedShares: [],
  daemonJson: {},
  startAtLogin: false,
  httpProxy: '',
  httpsProxy: '',
  noProxy: '',
  containerHttpProxy: '',
  containerHttpsProxy: '',
  containerNoProxy: '',
  resourceSaverMinutes: 5,
});

const host: HostInfo = {
  platform: 'linux',
  cpus: 8,
  memoryMiB: 16384,
  backends: [{ name: 'qemu', label: 'QEMU', available: true }],
  accelerators: [
    { name: 'auto', label: 'Automatic', available: true },
    { name: 'kvm', label: 'KVM', available: false, reason: '/dev/kvm is missing' },
    { name: 'tcg', label: 'Software emulation (TCG)', available: true },
  ],
};

const status = (over: Partial<EngineStatus> = {}): EngineStatus => ({
  vm: { state: 'running' },
  backend: 'qemu',
  socketPath: '/tmp/wharf/docker.sock',
  dockerContext: 'wharf',
  versions: { wharf: '0.1.0' },
  notices: [],
  ...over,
});

const RESTART_KEYS = ['cpus', 'memory', 'swap', 'disk', 'accelerator', 'backend', 'fileShares'];
function planOf(current: Settings, patch: SettingsPatch): ApplyPlan {
  const changed = Object.keys(patch).filter((k) => JSON.stringify((patch as Record<string, unknown>)[k]) !== JSON.stringify((current as Record<string, unknown>)[k]));
  const restartsVm = changed.some((k) => RESTART_KEYS.includes(k));
  return { changed, restartsVm, restartsEngine: !restartsVm && changed.includes('daemonJson'), refused: [] };
}

/** A fake core with just enough settings behaviour to drive the store. */
function fakeCore() {
  let settings = saved();
  let engine = status();
  const t = new FakeTransport({
    'settings.get': () => structuredClone(settings),
    'vm.host': () => host,
    'engine.status': () => engine,
    'settings.plan': (patch) => planOf(settings, patch as SettingsPatch),
    'settings.set': (patch) => {
      const plan = planOf(settings, patch as SettingsPatch);
      settings = { ...settings, ...(patch as SettingsPatch) };
      return { settings: structuredClone(settings), plan };
    },
    'settings.apply': () => engine,
    'settings.validateDaemonJson': (text) => {
      try {
        JSON.parse(text as string);
        return { ok: true, errors: [] };
      } catch {
        return { ok: false, errors: ['line 1, column 2: expected a "key"'] };
      }
    },
  });
  return {
    t,
    get settings() { return settings; },
    set settings(s: Settings) { settings = s; },
    setEngine(e: EngineStatus) { engine = e; },
  };
}

async function loaded(opts = { validateDelayMs: 5, refetchDelayMs: 5 }) {
  const core = fakeCore();
  setTransportForTests(core.t);
  const store = createSettingsStore(opts);
  await store.getState().load();
  return { core, store, s: () => store.getState() };
}

describe('settings store', () => {
  beforeEach(() => { /* each test makes its own transport */ });

  it('loads settings, host and engine status; the draft starts clean', async () => {
    const { s, core } = await loaded();
    assert.equal(s().status, 'ready');
    assert.deepEqual(s().settings, saved());
    assert.deepEqual(s().draft, saved());
    assert.equal(s().host?.cpus, 8);
    assert.equal(s().engine?.dockerContext, 'wharf');
    assert.equal(s().dirty, false);
    assert.deepEqual(s().dirtyKeys, []);
    assert.equal(s().daemonText, '{}\n');
    assert.deepEqual(core.t.calls.map((c) => c.method).sort(), ['engine.status', 'settings.get', 'settings.hostWideResources', 'vm.host']);
  });

  it('reports a load failure with the server error', async () => {
    const t = new FakeTransport({ 'settings.get': () => { throw new NamedError('UserError', 'settings are locked'); }, 'vm.host': () => host });
    setTransportForTests(t);
    const store = createSettingsStore();
    await store.getState().load();
    assert.equal(store.getState().status, 'error');
    assert.deepEqual(store.getState().loadError, { name: 'UserError', message: 'settings are locked' });
  });

  it('tracks dirty keys and builds per-tab patches', async () => {
    const { s } = await loaded();
    s().edit({ cpus: 4, startAtLogin: true });
    assert.equal(s().dirty, true);
    assert.deepEqual(s().dirtyKeys.sort(), ['cpus', 'startAtLogin']);
    assert.deepEqual(s().patchFor('resources'), { cpus: 4 });
    assert.deepEqual(s().patchFor('general'), { startAtLogin: true });
    assert.deepEqual(s().patchFor('fileSharing'), {});
    assert.equal(s().isDirty('resources'), true);
    assert.equal(s().isDirty('engine'), false);
    s().edit({ cpus: 2 });
    assert.deepEqual(s().dirtyKeys, ['startAtLogin']);
    s().discard('general');
    assert.equal(s().dirty, false);
  });

  it('asks the core for the plan of a tab and ignores stale answers', async () => {
    const { s, core } = await loaded();
    s().edit({ cpus: 4, memory: 4096 });
    const plan = await s().requestPlan('resources');
    assert.deepEqual(core.t.callsOf('settings.plan'), [[{ cpus: 4, memory: 4096 }]]);
    assert.equal(plan?.restartsVm, true);
    assert.equal(s().plan.state, 'ready');
    assert.equal(s().plan.scope, 'resources');
    assert.equal(s().plan.key, JSON.stringify({ cpus: 4, memory: 4096 }));

    // A slow answer for an older draft must not overwrite a newer one.
    let release!: () => void;
    core.t.handlers['settings.plan'] = (patch) => new Promise((r) => { release = () => r(planOf(core.settings, patch as SettingsPatch)); });
    const first = s().requestPlan('resources');
    core.t.handlers['settings.plan'] = () => ({ changed: ['cpus'], restartsVm: true, restartsEngine: false, refused: [{ key: 'cpus', reason: 'newer' }] });
    s().edit({ cpus: 6 });
    await s().requestPlan('resources');
    release();
    await first;
    assert.equal(s().plan.result?.refused[0]?.reason, 'newer');
  });

  it('shows a plan error from the core ({name, message})', async () => {
    const { s, core } = await loaded();
    core.t.handlers['settings.plan'] = () => { throw new NamedError('UserError', 'cpus must be at most 8'); };
    s().edit({ cpus: 99 });
    await s().requestPlan('resources');
    assert.equal(s().plan.state, 'error');
    assert.deepEqual(s().plan.error, { name: 'UserError', message: 'cpus must be at most 8' });
  });

  it('refetches on invalidate {topic: settings}, debounced, keeping edits in progress', async () => {
    const { s, store, core } = await loaded();
    const off = store.getState().subscribe();
    s().edit({ cpus: 6 });
    core.settings = { ...core.settings, memory: 4096, cpus: 3 };
    const before = core.t.callsOf('settings.get').length;
    core.t.emit('invalidate', { topic: 'settings' });
    core.t.emit('invalidate', { topic: 'settings' });
    core.t.emit('invalidate', { topic: 'containers' });
    await tick(30);
    assert.equal(core.t.callsOf('settings.get').length - before, 1, 'a burst of invalidations is one refetch');
    assert.equal(s().settings?.memory, 4096);
    assert.equal(s().draft?.memory, 4096, 'untouched keys follow the saved value');
    assert.equal(s().draft?.cpus, 6, 'an edit in progress is kept');
    assert.deepEqual(s().dirtyKeys, ['cpus']);
    off();
    assert.equal(core.t.listenerCount(), 0, 'unsubscribe removes every listener');
  });

  it('does not poll: no calls happen without events', async () => {
    const { core, store } = await loaded();
    const off = store.getState().subscribe();
    const n = core.t.calls.length;
    await tick(60);
    assert.equal(core.t.calls.length, n);
    off();
  });

  it('follows vmState and bootProgress events into the engine status', async () => {
    const { s, store, core } = await loaded();
    const off = store.getState().subscribe();
    core.t.emit('vmState', { state: 'starting' });
    core.t.emit('bootProgress', { milestone: 'dockerd', fraction: 0.7, elapsedSeconds: 12 });
    assert.equal(s().engine?.vm.state, 'starting');
    assert.equal(s().engine?.boot?.milestone, 'dockerd');
    core.setEngine(status({ notices: [{ code: 'settings', message: 'Your settings file was corrupt' }] }));
    core.t.emit('invalidate', { topic: 'engine' });
    await tick(30);
    assert.deepEqual(s().engine?.notices, [{ code: 'settings', message: 'Your settings file was corrupt' }]);
    off();
  });

  it('applies a tab: set(patch) then apply(), with phases, and the draft is clean after', async () => {
    const { s, core } = await loaded();
    s().edit({ cpus: 4, memory: 4096, startAtLogin: true });
    let phaseDuringApply: string | undefined;
    core.t.handlers['settings.apply'] = () => { phaseDuringApply = s().apply.phase; return status({ resources: { cpus: 4, memoryMiB: 4096, diskGiB: 64 } }); };
    const ok = await s().applyScope('resources');
    assert.equal(ok, true);
    assert.deepEqual(core.t.callsOf('settings.set'), [[{ cpus: 4, memory: 4096 }]], 'only the tab\'s keys are sent');
    assert.equal(core.t.callsOf('settings.apply').length, 1);
    assert.equal(phaseDuringApply, 'restarting');
    assert.equal(s().apply.phase, 'done');
    assert.deepEqual(s().dirtyKeys, ['startAtLogin'], 'the other tab keeps its edit');
    assert.equal(s().engine?.resources?.cpus, 4);
  });

  it('takes the saved (normalized) value for the keys it just saved', async () => {
    const { s, core } = await loaded();
    core.t.handlers['settings.set'] = (patch) => {
      const p = patch as SettingsPatch;
      core.settings = { ...core.settings, ...p, fileShares: (p.fileShares ?? []).map((x) => x.replace(/\/$/, '')) };
      return { settings: core.settings, plan: { changed: ['fileShares'], restartsVm: true, restartsEngine: false, refused: [] } };
    };
    s().edit({ fileShares: ['/home/u', '/srv/data/'] });
    assert.equal(await s().applyScope('fileSharing'), true);
    assert.deepEqual(s().draft?.fileShares, ['/home/u', '/srv/data']);
    assert.equal(s().dirty, false);
  });

  it('restarts for a restart tab even when the core\'s plan (stale after a rollback) says nothing would', async () => {
    const { s, core } = await loaded();
    core.t.handlers['settings.set'] = (patch) => {
      core.settings = { ...core.settings, ...(patch as SettingsPatch) };
      return { settings: core.settings, plan: { changed: [], restartsVm: false, restartsEngine: false, refused: [] } };
    };
    s().setDaemonText('{"bip": "999.1.1.1/24"}');
    await tick(20);
    assert.equal(await s().applyScope('engine'), true);
    assert.equal(core.t.callsOf('settings.apply').length, 1);
  });

  it('saves without restarting when nothing needs a restart', async () => {
    const { s, core } = await loaded();
    s().edit({ startAtLogin: true });
    assert.equal(await s().applyScope('general'), true);
    assert.equal(core.t.callsOf('settings.set').length, 1);
    assert.equal(core.t.callsOf('settings.apply').length, 0);
    assert.equal(s().apply.phase, 'done');
  });

  it('shows a refused save inline and never restarts', async () => {
    const { s, core } = await loaded();
    core.t.handlers['settings.set'] = () => { throw new NamedError('UserError', 'disk: the disk only grows; it is 64 GiB'); };
    s().edit({ disk: 32 });
    assert.equal(await s().applyScope('resources'), false);
    assert.equal(s().apply.phase, 'error');
    assert.deepEqual(s().apply.error, { name: 'UserError', message: 'disk: the disk only grows; it is 64 GiB' });
    assert.equal(core.t.callsOf('settings.apply').length, 0);
    assert.equal(s().dirty, true, 'the edit stays so the user can fix it');
  });

  it('validates daemon.json: invalid text is refused at once and never sent with set', async () => {
    const { s, core } = await loaded();
    s().setDaemonText('{ debug: true }');
    assert.equal(s().daemonCheck.state, 'invalid');
    assert.equal(s().dirty, true);
    assert.deepEqual(s().patchFor('engine'), {}, 'invalid text makes no patch');
    await tick(20);
    assert.deepEqual(s().daemonCheck.errors, ['line 1, column 2: expected a "key"'], 'the core\'s message replaces the local one');
    assert.equal(await s().applyScope('engine'), true, 'nothing to apply');
    assert.equal(core.t.callsOf('settings.set').length, 0);
  });

  it('validates daemon.json with the core, debounced, and only the last text counts', async () => {
    const { s, core } = await loaded();
    s().setDaemonText('{"debug": t');
    s().setDaemonText('{"debug": tr');
    s().setDaemonText('{"debug": true}');
    assert.equal(s().daemonCheck.state, 'checking');
    await tick(30);
    assert.deepEqual(core.t.callsOf('settings.validateDaemonJson'), [['{"debug": true}']]);
    assert.equal(s().daemonCheck.state, 'valid');
    assert.deepEqual(s().patchFor('engine'), { daemonJson: { debug: true } });

    core.t.handlers['settings.validateDaemonJson'] = () => ({ ok: false, errors: ['"debugg" is not a dockerd option; did you mean "debug"?'] });
    s().setDaemonText('{"debugg": true}');
    await tick(30);
    assert.equal(s().daemonCheck.state, 'invalid');
    assert.match(s().daemonCheck.errors[0]!, /did you mean "debug"/);
    assert.equal(await s().applyScope('engine'), false, 'apply is refused while the core says invalid');
    assert.equal(core.t.callsOf('settings.set').length, 0);
  });

  it('shows dockerd\'s error when the engine rolled back a daemon.json', async () => {
    const { s, core } = await loaded();
    core.t.handlers['settings.apply'] = () => {
      const e = status({ notices: [{ code: 'daemon-json-rejected', message: 'dockerd refused the new daemon.json and the previous one was restored: unable to configure the Docker daemon with file /etc/docker/daemon.json: invalid log-level' }] });
      core.setEngine(e);
      core.settings = { ...core.settings, daemonJson: {} };
      return e;
    };
    s().setDaemonText('{"log-level": "loud"}');
    await tick(20);
    assert.equal(await s().applyScope('engine'), false);
    assert.equal(s().apply.phase, 'error');
    assert.match(s().apply.engineErrors[0]!, /invalid log-level/);
    assert.match(s().daemonText, /"log-level": "loud"/, 'the editor keeps what the user tried');
    assert.deepEqual(s().settings?.daemonJson, {}, 'while the saved value is the one the engine runs');
    assert.equal(s().isDirty('engine'), true);
  });

  it('turns "applied" into the rollback error when dockerd\'s refusal arrives after apply returned', async () => {
    const { s, store, core } = await loaded();
    const off = store.getState().subscribe();
    // An earlier refusal with the same text is still listed: it must not hide this one.
    const refusal = 'dockerd refused the new daemon.json (invalid log-level: loud); the previous configuration was restored.';
    core.setEngine(status({ notices: [{ code: 'daemon-json-rejected', message: refusal }] }));
    await s().load();
    s().setDaemonText('{"log-level": "loud"}');
    await tick(20);
    core.t.handlers['settings.apply'] = () => status();
    assert.equal(await s().applyScope('engine'), true);
    assert.equal(s().apply.phase, 'done');
    core.setEngine(status({ notices: [{ code: 'daemon-json-rejected', message: refusal }] }));
    core.settings = { ...core.settings, daemonJson: {} };
    core.t.emit('invalidate', { topic: 'settings' });
    await tick(30);
    assert.equal(s().apply.phase, 'error');
    assert.deepEqual(s().apply.engineErrors, [refusal]);
    assert.match(s().daemonText, /loud/, 'the editor keeps what the user tried');
    assert.deepEqual(s().settings?.daemonJson, {});
    off();
  });

  it('shows the error when apply itself fails', async () => {
    const { s, core } = await loaded();
    core.t.handlers['settings.apply'] = () => { throw new NamedError('EngineError', 'dockerd exited: invalid log-level'); };
    s().setDaemonText('{"log-level": "loud"}');
    await tick(20);
    assert.equal(await s().applyScope('engine'), false);
    assert.deepEqual(s().apply.error, { name: 'EngineError', message: 'dockerd exited: invalid log-level' });
  });

  it('checks a new file share with the core and returns the refusal reason', async () => {
    const { s, core } = await loaded();
    core.t.handlers['settings.plan'] = (patch) => ({
      changed: ['fileShares'], restartsVm: true, restartsEngine: false,
      refused: (patch as SettingsPatch).fileShares?.includes('/nope') ? [{ key: 'fileShares', reason: 'fileShares: /nope does not exist' }] : [],
    });
    assert.equal(await s().checkFileShare('/nope'), '/nope does not exist');
    assert.deepEqual(core.t.callsOf('settings.plan').at(-1), [{ fileShares: ['/home/u', '/nope'] }]);
    assert.equal(await s().checkFileShare('/srv'), undefined);
  });

  it('asks the core about a synchronized folder with the draft\'s shares, and keeps only what is said about it', async () => {
    const { s, core } = await loaded();
    s().edit({ fileShares: ['/home/u', '/srv'], syncedShares: ['/home/u/gone'] });
    core.t.handlers['settings.plan'] = (patch) => {
      const synced = (patch as SettingsPatch).syncedShares ?? [];
      return {
        changed: ['syncedShares'], restartsVm: true, restartsEngine: false,
        refused: [
          { key: 'syncedShares', reason: 'syncedShares: "/home/u/gone" does not exist; create the folder first or remove it from the list.' },
          ...(synced.includes('/srv/nope') ? [{ key: 'syncedShares', reason: 'syncedShares: "/srv/nope" does not exist; create the folder first or remove it from the list.' }] : []),
        ],
      };
    };
    assert.equal(await s().checkSyncedShare('/srv/nope'), '"/srv/nope" does not exist; create the folder first or remove it from the list.');
    assert.deepEqual(core.t.callsOf('settings.plan').at(-1), [{ fileShares: ['/home/u', '/srv'], syncedShares: ['/home/u/gone', '/srv/nope'] }]);
    assert.equal(await s().checkSyncedShare('/srv/app'), undefined, 'the refusal about another entry is the Apply bar\'s to show');
    core.t.handlers['settings.plan'] = () => { throw new NamedError('UserError', 'core is gone'); };
    assert.equal(await s().checkSyncedShare('/srv/app'), 'core is gone');
  });

  it('runs the troubleshoot actions with their confirmations', async () => {
    const { s, core } = await loaded();
    core.t.handlers['engine.restart'] = () => status();
    core.t.handlers['diagnostics.collect'] = () => ({ archivePath: '/tmp/wharf-diag.tar.gz', bytes: 12345, files: ['a', 'b'] });
    core.t.handlers['diagnostics.cleanData'] = () => undefined;
    core.t.handlers['diagnostics.factoryReset'] = () => undefined;
    await s().restartEngine();
    await s().collectDiagnostics();
    await s().cleanData();
    await s().factoryReset();
    assert.equal(s().actions.restart.state, 'done');
    assert.deepEqual(s().actions.collect.result, { archivePath: '/tmp/wharf-diag.tar.gz', bytes: 12345, files: ['a', 'b'] });
    assert.deepEqual(core.t.callsOf('diagnostics.cleanData'), [['confirm']]);
    assert.deepEqual(core.t.callsOf('diagnostics.factoryReset'), [['confirm']]);
    core.t.handlers['diagnostics.collect'] = () => { throw new NamedError('UserError', 'disk full'); };
    await s().collectDiagnostics();
    assert.deepEqual(s().actions.collect.error, { name: 'UserError', message: 'disk full' });
  });

  it('host-wide resources: loaded with the settings, written with the draft\'s values and the tick, then refetched', async () => {
    const { s, core } = await loaded();
    assert.equal(s().hostWide, null, 'a backend with its own limits has no host-wide file');
    let file = { file: 'C:\\Users\\ada\\.wslconfig', exists: true, sharedWith: 'every WSL 2 distribution', current: { memory: '6GB' }, takesEffect: 'after WSL restarts' };
    core.t.handlers['settings.hostWideResources'] = () => file;
    core.t.handlers['settings.writeHostWideResources'] = (arg) => {
      const a = arg as { cpus: number; memory: number; swap: number; consent: unknown };
      if (a.consent !== true) throw new NamedError('UserError', 'Invalid arguments: consent must be true');
      core.settings = { ...core.settings, cpus: a.cpus, memory: a.memory, swap: a.swap };
      file = { ...file, current: { cpus: String(a.cpus), memory: '3GB', swap: '0' } } as typeof file;
      return { file: file.file, changed: true, backup: `${file.file}.wharf-backup-x`, written: { cpus: String(a.cpus), memory: '3GB', swap: '0' }, takesEffect: file.takesEffect, settings: structuredClone(core.settings) };
    };
    await s().load();
    assert.equal(s().hostWide?.current.memory, '6GB');
    s().edit({ cpus: 4, memory: 3072, swap: 0 });
    assert.equal(await s().writeHostWide(false), false);
    assert.match(s().hostWideWrite.error?.message ?? '', /consent must be true/);
    assert.deepEqual(core.t.callsOf('settings.writeHostWideResources')[0], [{ cpus: 4, memory: 3072, swap: 0, consent: false }]);
    assert.equal(await s().writeHostWide(true), true);
    assert.equal(s().hostWideWrite.state, 'done');
    assert.equal(s().hostWideWrite.result?.backup, 'C:\\Users\\ada\\.wslconfig.wharf-backup-x');
    assert.equal(s().settings?.cpus, 4);
    assert.equal(s().dirty, false, 'the written values are the saved ones now');
    assert.equal(s().hostWide?.current.cpus, '4');
  });
});

describe('daemon.json text helpers', () => {
  it('parses objects only', () => {
    assert.deepEqual(parseDaemonText('{"debug": true}'), { ok: true, value: { debug: true } });
    assert.equal(parseDaemonText('[]').ok, false);
    assert.equal(parseDaemonText('').ok, false);
    assert.equal(parseDaemonText('{').ok, false);
  });
  it('formats an empty config as {}', () => {
    assert.equal(formatDaemonJson({}), '{}\n');
    assert.equal(formatDaemonJson({ debug: true }), '{\n  "debug": true\n}\n');
  });
});
