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
