import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import type { Settings } from '../../../src-main/core/contract/settings-schema.js';
import type { ApplyPlan, EngineStatus } from '../../../src-main/core/contract/types.js';
import { UserError } from '../../../src-main/core/errors.js';
import { parseSetArgs } from '../../../src-main/core/settings/cli-parse.js';
import { createSettingsService } from '../../../src-main/core/settings/service.js';
import { SettingsStore } from '../../../src-main/core/settings/store.js';
import { fakeDefaults, fakeHost, tempDir } from './helpers.js';

const status: EngineStatus = {
  vm: { state: 'running' }, backend: 'qemu', socketPath: '/tmp/docker.sock', dockerContext: 'wharf',
  versions: { wharf: '0.1.0' }, notices: [],
};

async function setup() {
  const dir = await tempDir('wharf-service-');
  const code = path.join(dir, 'code');
  await fs.mkdir(path.join(code, 'app'), { recursive: true });
  await fs.writeFile(path.join(dir, 'file.txt'), 'x');
  const file = path.join(dir, 'home', 'settings.json');
  const store = new SettingsStore({ file, defaults: fakeDefaults({}, [code]) });
  await store.load();
  const applies: Array<{ plan: ApplyPlan; settings: Settings }> = [];
  const changes: Settings[] = [];
  const svc = createSettingsService({
    store,
    host: fakeHost(),
    existingDiskGiB: async () => 64,
    onApply: async (plan, settings) => { applies.push({ plan, settings }); return status; },
    onChanged: (s) => changes.push(s),
  });
  // Make the file exist so "byte-identical afterwards" means something.
  await svc.set({ swap: 512 });
  return { dir, code, file, store, svc, applies, changes };
}

test('every bad input is refused with a clear error and the file stays byte-identical', async () => {
  const { dir, code, file, svc, store } = await setup();
  const before = await fs.readFile(file);
  const cases: Array<[string, unknown, RegExp]> = [
    ['negative CPUs', { cpus: -1 }, /cpus must be a whole number between 1 and 2 \(this host has 2 CPUs\); got -1/],
    ['memory beyond the host', { memory: 64 * 1024 }, /memory must be between 1024 and 6144 MiB/],
    ['an unknown key', { turbo: true }, /"turbo" is not a setting; valid settings are: cpus,/],
    ['a missing share path', { fileShares: [path.join(dir, 'missing')] }, /does not exist/],
    ['a share that is a file', { fileShares: [path.join(dir, 'file.txt')] }, /is a file, not a folder/],
    ['overlapping shares', { fileShares: [code, path.join(code, 'app')] }, /is inside .* which is also shared/],
    ['a disk shrink', { disk: 10 }, /disk cannot shrink: it is 64 GiB now and got 10 GiB/],
    ['an unavailable backend', { backend: 'vz' }, /backend vz is not available on this host/],
    ['a bad daemon.json', { daemonJson: { 'data-root': '/x' } }, /"data-root" cannot be set/],
    ['a mix of good and bad', { cpus: 1, memory: 10 }, /memory must be between/],
  ];
  for (const [what, patch, message] of cases) {
    await assert.rejects(svc.set(patch as never), (err: unknown) => {
      assert.ok(err instanceof UserError, what);
      assert.match((err as Error).message, message, what);
      return true;
    }, what);
    assert.deepEqual(await fs.readFile(file), before, `${what}: file changed`);
    assert.equal(store.get().cpus, 2, `${what}: memory changed`);
  }
});

test('non-JSON daemon.json from the CLI fails at parsing, before anything is saved', async () => {
  const { file } = await setup();
  const before = await fs.readFile(file);
  assert.throws(() => parseSetArgs(['daemonJson={not json']), /not valid JSON: .* at line 1, column 2/);
  assert.deepEqual(await fs.readFile(file), before);
});

test('set persists, notifies, and returns the pending plan', async () => {
  const { file, svc, changes } = await setup();
  const { settings, plan } = await svc.set({ cpus: 1, daemonJson: { debug: true } });
  assert.equal(settings.cpus, 1);
  assert.equal(JSON.parse(await fs.readFile(file, 'utf8')).cpus, 1);
  assert.equal(changes.at(-1)?.cpus, 1);
  assert.deepEqual(plan.changed.sort(), ['cpus', 'daemonJson', 'swap']);
  assert.equal(plan.restartsVm, true);
});

test('plans accumulate across sets until apply, which hands the plan to onApply', async () => {
  const { svc, applies } = await setup();
  await svc.apply();
  assert.deepEqual(applies[0]!.plan.changed, ['swap']);
  assert.equal(applies[0]!.settings.swap, 512);

  await svc.set({ daemonJson: { debug: true } });
  const { plan } = await svc.set({ switchContext: false });
  assert.deepEqual(plan, { changed: ['switchContext', 'daemonJson'], restartsVm: false, restartsEngine: true, refused: [] });
  assert.deepEqual(await svc.apply(), status);
  assert.equal(applies[1]!.plan.restartsEngine, true);
  assert.deepEqual(svc.pendingPlan().changed, []);
});

test('plan previews without saving, and lists refusals instead of throwing', async () => {
  const { file, svc } = await setup();
  const before = await fs.readFile(file);
  const plan = await svc.plan({ cpus: 1, disk: 1 });
  assert.deepEqual(plan.changed.sort(), ['cpus', 'swap']);
  assert.equal(plan.refused.length, 1);
  assert.equal(plan.refused[0]!.key, 'disk');
  assert.deepEqual(await fs.readFile(file), before);
});

test('get, defaults and validateDaemonJson', async () => {
  const { svc } = await setup();
  assert.equal((await svc.get()).swap, 512);
  assert.equal((await svc.defaults()).swap, 1024);
  assert.deepEqual(await svc.validateDaemonJson('{"debug": true}'), { ok: true, errors: [] });
  const bad = await svc.validateDaemonJson('{"debug": }');
  assert.equal(bad.ok, false);
  assert.match(bad.errors[0]!, /line 1, column 11/);
});

test('a corrupt file surfaces as a notice through the service', async () => {
  const dir = await tempDir('wharf-service-');
  const file = path.join(dir, 'settings.json');
  await fs.writeFile(file, 'garbage');
  const store = new SettingsStore({ file, defaults: fakeDefaults() });
  await store.load();
  const svc = createSettingsService({ store, host: async () => fakeHost(), onApply: async () => status });
  assert.equal(svc.notices().length, 1);
  assert.match(svc.notices()[0]!, /moved to settings\.json\.bak-/);
});

test('hostNotices reports saved values too big for this host', async () => {
  const dir = await tempDir('wharf-service-');
  const file = path.join(dir, 'settings.json');
  await fs.writeFile(file, JSON.stringify({ ...fakeDefaults(), cpus: 8 }));
  const store = new SettingsStore({ file, defaults: fakeDefaults() });
  await store.load();
  const svc = createSettingsService({ store, host: fakeHost(), onApply: async () => status });
  assert.match((await svc.hostNotices())[0]!, /8 CPUs but this host has 2/);
});
