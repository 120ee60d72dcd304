import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { backupName, SettingsStore } from '../../../src-main/core/settings/store.js';
import { fakeDefaults, tempDir } from './helpers.js';

const defaults = fakeDefaults();
const fixedNow = () => new Date('2026-11-23T03:55:25.123Z');

async function setup() {
  const dir = await tempDir();
  const file = path.join(dir, 'settings.json');
  return { dir, file, store: new SettingsStore({ file, defaults, now: fixedNow }) };
}

test('a missing file gives defaults, no notice, and no file until the first save', async () => {
  const { file, store } = await setup();
  assert.deepEqual(await store.load(), defaults);
  assert.deepEqual(store.notices(), []);
  await assert.rejects(fs.access(file));
});

test('save writes mode 0600 atomically and leaves no temp file behind', async () => {
  const { dir, file, store } = await setup();
  await store.load();
  await store.save({ ...defaults, cpus: 2 });
  const st = await fs.stat(file);
  if (process.platform !== 'win32') assert.equal(st.mode & 0o777, 0o600);
  assert.deepEqual(await fs.readdir(dir), ['settings.json']);
  assert.equal(JSON.parse(await fs.readFile(file, 'utf8')).cpus, 2);
  const again = new SettingsStore({ file, defaults });
  assert.equal((await again.load()).cpus, 2);
});

test('a file that is not JSON is moved aside, defaults are used, and a notice says where it went', async () => {
  const { dir, file, store } = await setup();
  await fs.writeFile(file, '{"cpus": 2,,,');
  assert.deepEqual(await store.load(), defaults);
  const bak = backupName(file, fixedNow());
  assert.equal(path.basename(bak), 'settings.json.bak-2026-11-23T03-55-25.123Z');
  assert.equal(await fs.readFile(bak, 'utf8'), '{"cpus": 2,,,');
  assert.deepEqual(await fs.readdir(dir), [path.basename(bak)]);
  const [notice, ...rest] = store.notices();
  assert.equal(rest.length, 0);
  assert.match(notice!, /not valid JSON/);
  assert.match(notice!, /settings\.json\.bak-2026-11-23T03-55-25\.123Z/);
  assert.match(notice!, /defaults are in use/);
});

test('a file with invalid values is moved aside with the reason in the notice', async () => {
  const { file, store } = await setup();
  await fs.writeFile(file, JSON.stringify({ ...defaults, cpus: -3 }));
  assert.deepEqual(await store.load(), defaults);
  assert.match(store.notices()[0]!, /invalid values \(cpus: /);
  await fs.access(backupName(file, fixedNow()));
});

test('a file from a newer Wharf is moved aside, not silently overwritten later', async () => {
  const { file, store } = await setup();
  await fs.writeFile(file, JSON.stringify({ ...defaults, version: 9 }));
  await store.load();
  assert.match(store.notices()[0]!, /newer Wharf/);
  assert.equal(JSON.parse(await fs.readFile(backupName(file, fixedNow()), 'utf8')).version, 9);
});

test('an old file is migrated and the upgrade is written back', async () => {
  const { file, store } = await setup();
  await fs.writeFile(file, JSON.stringify({ version: 1, cpus: 2, memoryGiB: 2, diskSizeGiB: 100, shares: ['/srv'], accelerator: 'auto', daemonJson: {}, switchContext: true, startAtLogin: false }));
  const s = await store.load();
  assert.equal(s.memory, 2048);
  assert.equal(s.disk, 100);
  assert.deepEqual(s.fileShares, ['/srv']);
  const onDisk = JSON.parse(await fs.readFile(file, 'utf8'));
  assert.equal(onDisk.version, 3);
  assert.equal(onDisk.memory, 2048);
});

test('saving invalid settings throws and changes nothing on disk or in memory', async () => {
  const { file, store } = await setup();
  await store.load();
  await store.save({ ...defaults, cpus: 2 });
  const before = await fs.readFile(file);
  await assert.rejects(store.save({ ...defaults, cpus: 0 }), /refusing to save invalid settings/);
  assert.deepEqual(await fs.readFile(file), before);
  assert.equal(store.get().cpus, 2);
});

test('concurrent updates are serialized: neither loses the other\'s key', async () => {
  const { file, store } = await setup();
  await store.load();
  await Promise.all([
    store.update(async (cur) => { await new Promise((r) => setTimeout(r, 20)); return { ...cur, cpus: 2 }; }),
    store.update(async (cur) => ({ ...cur, swap: 0 })),
  ]);
  const onDisk = JSON.parse(await fs.readFile(file, 'utf8'));
  assert.equal(onDisk.cpus, 2);
  assert.equal(onDisk.swap, 0);
});

test('get returns a copy: callers cannot mutate the store', async () => {
  const { store } = await setup();
  await store.load();
  store.get().fileShares.push('/evil');
  assert.deepEqual(store.get().fileShares, defaults.fileShares);
});

test('a directory where settings.json should be is moved aside instead of stopping the app', async () => {
  const { file, store } = await setup();
  await fs.mkdir(file);
  assert.deepEqual(await store.load(), defaults);
  assert.match(store.notices()[0]!, /could not be read \(EISDIR\)/);
  await store.save({ ...defaults, cpus: 2 });
  assert.equal(JSON.parse(await fs.readFile(file, 'utf8')).cpus, 2);
});
