import assert from 'node:assert/strict';
import { test } from 'node:test';
import { settingsSchema } from '../../../src-main/core/contract/settings-schema.js';
import { migrate, MigrationError, MIGRATIONS, v0ToV1, v1ToV2, v2ToV3 } from '../../../src-main/core/settings/migrations.js';
import { fakeDefaults } from './helpers.js';

const ctx = { defaults: fakeDefaults() };

test('one migration per version step', () => {
  assert.equal(MIGRATIONS.length, 3);
});

test('v0 → v1: kvm flag becomes accelerator, daemon.json text becomes an object', () => {
  const { doc, notes } = v0ToV1({ cpus: 2, memoryGiB: 3, diskSizeGiB: 80, shares: ['/home/dev'], kvm: true, daemonConfig: '{"debug": true}' }, ctx);
  assert.deepEqual(doc, {
    version: 1, cpus: 2, memoryGiB: 3, diskSizeGiB: 80, shares: ['/home/dev'],
    accelerator: 'kvm', daemonJson: { debug: true }, switchContext: true, startAtLogin: false,
  });
  assert.deepEqual(notes, []);
});

test('v0 → v1: kvm false means "auto"; broken daemon.json text is dropped with a note', () => {
  const { doc, notes } = v0ToV1({ cpus: 1, kvm: false, daemonConfig: '{debug' }, ctx);
  assert.equal(doc.accelerator, 'auto');
  assert.deepEqual(doc.daemonJson, {});
  assert.equal(notes.length, 1);
  assert.match(notes[0]!, /not valid JSON/);
});

test('v1 → v2: GiB memory becomes MiB, renames, swap and backend added', () => {
  const { doc } = v1ToV2({
    version: 1, cpus: 2, memoryGiB: 1.5, diskSizeGiB: 80, shares: ['/home/dev'], accelerator: 'tcg',
    daemonJson: {}, switchContext: false, startAtLogin: true,
  }, ctx);
  assert.deepEqual(doc, {
    version: 2, cpus: 2, memory: 1536, disk: 80, fileShares: ['/home/dev'], accelerator: 'tcg',
    daemonJson: {}, switchContext: false, startAtLogin: true, swap: 1024, backend: 'qemu',
  });
});

test('v2 → v3: no proxies and Resource Saver at 5 minutes; everything else kept', () => {
  const v2 = {
    version: 2, cpus: 2, memory: 1536, disk: 80, fileShares: ['/home/dev'], accelerator: 'tcg',
    daemonJson: { debug: true }, switchContext: false, startAtLogin: true, swap: 512, backend: 'qemu',
  };
  const { doc, notes } = v2ToV3(v2, ctx);
  assert.deepEqual(doc, {
    ...v2, version: 3,
    httpProxy: '', httpsProxy: '', noProxy: '', containerHttpProxy: '', containerHttpsProxy: '', containerNoProxy: '',
    resourceSaverMinutes: 5,
  });
  assert.deepEqual(notes, []);
  assert.ok(settingsSchema.safeParse(doc).success);
});

test('migrate runs every step from an unversioned file to a valid current document', () => {
  const result = migrate({ cpus: 2, memoryGiB: 4, diskSizeGiB: 100, shares: ['/src'] }, ctx);
  assert.equal(result.from, 0);
  const parsed = settingsSchema.parse(result.doc);
  assert.equal(parsed.memory, 4096);
  assert.equal(parsed.disk, 100);
  assert.deepEqual(parsed.fileShares, ['/src']);
});

test('migrate leaves a current document alone', () => {
  const doc = { ...ctx.defaults };
  const result = migrate(doc, ctx);
  assert.equal(result.from, 3);
  assert.deepEqual(result.doc, doc);
});

test('migrate refuses files from a newer Wharf and non-objects', () => {
  assert.throws(() => migrate({ version: 4 }, ctx), (e) => e instanceof MigrationError && /newer Wharf/.test(e.message));
  assert.throws(() => migrate([1, 2], ctx), MigrationError);
  assert.throws(() => migrate({ version: 'two' }, ctx), /whole number/);
});
