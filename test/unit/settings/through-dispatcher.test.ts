import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { contract } from '../../../src-main/core/contract/services.js';
import { settingsPatchSchema } from '../../../src-main/core/contract/settings-schema.js';
import type { ContractImpl } from '../../../src-main/core/contract/define.js';
import type { EngineStatus } from '../../../src-main/core/contract/types.js';
import { createDispatcher } from '../../../src-main/core/transports/dispatcher.js';
import { createSettingsService } from '../../../src-main/core/settings/service.js';
import { SettingsStore } from '../../../src-main/core/settings/store.js';
import { SETTINGS_KEYS } from '../../../src-main/core/settings/validate.js';
import { WslConfigFile } from '../../../src-main/core/vm/wsl/wslconfig-file.js';
import { fakeDefaults, fakeHost, tempDir } from './helpers.js';

/**
 * The contract's patch schema checks shape only, so range and host problems
 * reach validate.ts and every transport shows the service's own message.
 */
test('bad values sent through a transport get the settings service\'s messages', async () => {
  const dir = await tempDir('wharf-dispatch-');
  const file = path.join(dir, 'settings.json');
  const store = new SettingsStore({ file, defaults: fakeDefaults({}, [dir]) });
  await store.load();
  const svc = createSettingsService({ store, host: fakeHost(), onApply: async () => ({}) as EngineStatus });
  const dispatch = createDispatcher(contract, { settings: svc } as unknown as ContractImpl<typeof contract>);
  await svc.set({ swap: 0 });
  const before = await fs.readFile(file);

  const cases: Array<[unknown, RegExp]> = [
    [{ cpus: -1 }, /cpus must be a whole number between 1 and 2 \(this host has 2 CPUs\); got -1/],
    [{ memory: 100 }, /memory must be between 1024 and 6144 MiB/],
    [{ accelerator: 'warp' }, /accelerator must be one of auto, kvm, hvf, whpx, tcg; got "warp"/],
    [{ fileShares: ['relative/dir'] }, /not an absolute path/],
    [{ turbo: true }, /"turbo" is not a setting; valid settings are: cpus, memory/],
    [{ cpus: 'two' }, /argument 0\.cpus/],
  ];
  for (const [patch, message] of cases) {
    const res = await dispatch('settings.set', [patch]);
    assert.equal(res.ok, false, JSON.stringify(patch));
    assert.match(res.ok ? '' : res.error.message, message);
    assert.deepEqual(await fs.readFile(file), before);
  }
  const ok = await dispatch('settings.set', [{ cpus: 2 }]);
  assert.equal(ok.ok, true);
});

test('the patch schema and validate.ts agree on the list of settings', () => {
  assert.deepEqual(Object.keys(settingsPatchSchema.shape), [...SETTINGS_KEYS]);
});

test('host-wide resources through a transport: consent required, the settings rule book applies, nothing half-done', async () => {
  const dir = await tempDir('wharf-dispatch-hostwide-');
  const file = path.join(dir, 'settings.json');
  const wslconfig = path.join(dir, '.wslconfig');
  await fs.writeFile(wslconfig, '[wsl2]\nmemory=6GB\n');
  const store = new SettingsStore({ file, defaults: fakeDefaults({}, [dir]) });
  await store.load();
  const svc = createSettingsService({
    store, host: fakeHost(), onApply: async () => ({}) as EngineStatus,
    hostWide: (s) => (s.backend === 'wsl' ? new WslConfigFile(wslconfig) : undefined),
  });
  const dispatch = createDispatcher(contract, { settings: svc } as unknown as ContractImpl<typeof contract>);

  // The saved backend keeps its limits per VM: no host-wide file, and writing says so.
  assert.deepEqual(await dispatch('settings.hostWideResources', []), { type: 'result', id: 0, ok: true, result: null });
  const perVm = await dispatch('settings.writeHostWideResources', [{ cpus: 2, memory: 2048, swap: 0, consent: true }]);
  assert.match(perVm.ok ? '' : perVm.error.message, /keeps CPUs and memory per VM/);

  await store.update(async (cur) => ({ ...cur, backend: 'wsl' }));
  const info = await dispatch('settings.hostWideResources', []);
  assert.equal(info.ok && (info.result as { current: { memory?: string } }).current.memory, '6GB');
  const savedBefore = await fs.readFile(file);
  const cases: Array<[unknown, RegExp]> = [
    [{ cpus: 2, memory: 2048, swap: 0 }, /argument 0\.consent: consent must be true/],
    [{ cpus: 2, memory: 2048, swap: 0, consent: false }, /consent must be true/],
    [{ cpus: 2, memory: 2048, swap: 0, consent: 'yes' }, /consent must be true/],
    [{ cpus: 9, memory: 2048, swap: 0, consent: true }, /cpus must be a whole number between 1 and 2 \(this host has 2 CPUs\); got 9/],
    [{ cpus: 2, memory: 100, swap: 0, consent: true }, /memory must be between 1024 and 6144 MiB/],
    [{ cpus: 2, memory: 2048, swap: 0, consent: true, disk: 10 }, /argument 0/],
  ];
  for (const [arg, message] of cases) {
    const res = await dispatch('settings.writeHostWideResources', [arg]);
    assert.equal(res.ok, false, JSON.stringify(arg));
    assert.match(res.ok ? '' : res.error.message, message);
    assert.equal(await fs.readFile(wslconfig, 'utf8'), '[wsl2]\nmemory=6GB\n', 'the file is untouched');
    assert.deepEqual(await fs.readFile(file), savedBefore, 'the settings are untouched');
  }
  const ok = await dispatch('settings.writeHostWideResources', [{ cpus: 2, memory: 3072, swap: 1024, consent: true }]);
  assert.equal(ok.ok, true, JSON.stringify(ok));
  const result = ok.ok ? ok.result as { backup?: string; settings: { cpus: number; memory: number; swap: number } } : undefined;
  assert.equal(await fs.readFile(wslconfig, 'utf8'), '[wsl2]\nmemory=3GB\nprocessors=2\nswap=1GB\n');
  assert.equal(await fs.readFile(result!.backup!, 'utf8'), '[wsl2]\nmemory=6GB\n');
  assert.deepEqual({ cpus: result!.settings.cpus, memory: result!.settings.memory, swap: result!.settings.swap }, { cpus: 2, memory: 3072, swap: 1024 });
  assert.equal(store.get().memory, 3072);
});
