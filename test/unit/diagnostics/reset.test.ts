import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { cleanData, factoryReset } from '../../../src-main/core/diagnostics/reset.js';
import { createDiagnosticsService } from '../../../src-main/core/diagnostics/service.js';
import { UserError } from '../../../src-main/core/errors.js';
import { wharfPaths } from '../../../src-main/core/paths.js';

async function populated() {
  const home = await fs.mkdtemp(path.join(os.tmpdir(), 'wharf-reset-'));
  const paths = wharfPaths(home, 'linux');
  const dataDisk = path.join(paths.disks, 'data.img');
  for (const d of [paths.disks, paths.certs, paths.run, paths.logs]) await fs.mkdir(d, { recursive: true });
  await fs.writeFile(dataDisk, 'disk');
  await fs.writeFile(path.join(paths.certs, 'ca.pem'), 'ca');
  await fs.writeFile(path.join(paths.run, 'qemu.pid'), '123');
  await fs.writeFile(paths.settings, '{}');
  await fs.writeFile(paths.settings + '.bak-2026-01-01T00-00-00.000Z', '{}');
  await fs.writeFile(path.join(paths.logs, 'wharf.log'), 'log');
  return { home, paths, dataDisk };
}

test('without the word "confirm" nothing happens', async () => {
  const { home, paths } = await populated();
  let removed = false;
  for (const word of [undefined, 'yes', 'CONFIRM', true]) {
    await assert.rejects(cleanData(word, async () => { removed = true; }), (e) => e instanceof UserError && /pass the word 'confirm'/.test(e.message));
    await assert.rejects(factoryReset(word, { paths }), UserError);
  }
  assert.equal(removed, false);
  assert.deepEqual((await fs.readdir(home)).sort(), ['certs', 'disks', 'logs', 'run', 'settings.json', 'settings.json.bak-2026-01-01T00-00-00.000Z']);
});

test('clean data calls the remover and keeps settings', async () => {
  const { paths } = await populated();
  let calls = 0;
  await cleanData('confirm', async () => { calls++; });
  assert.equal(calls, 1);
  await fs.access(paths.settings);
});

test('factory reset stops first, removes disk, certs, settings (and backups) and run dir, keeps logs', async () => {
  const { home, paths, dataDisk } = await populated();
  const order: string[] = [];
  const { removed } = await factoryReset('confirm', { paths, beforeReset: async () => { order.push('stop'); await fs.access(dataDisk); } });
  assert.deepEqual(order, ['stop']);
  assert.equal(removed.length, 5);
  assert.deepEqual(await fs.readdir(home), ['logs']);
});

test('factory reset refuses a home that is / or the user\'s home', async () => {
  const { paths, dataDisk } = await populated();
  for (const home of ['/', os.homedir()]) {
    await assert.rejects(factoryReset('confirm', { paths: { ...paths, home } }), /Refusing to factory-reset/);
  }
  await assert.rejects(factoryReset('confirm', { paths: { ...paths, certs: '/etc' } }), /outside the Wharf home/);
  await fs.access(dataDisk);
});

test('the diagnostics service wires collect, clean and reset (docker info failure is recorded, not fatal)', async () => {
  const { home, paths } = await populated();
  const events: string[] = [];
  const svc = createDiagnosticsService({
    paths,
    dockerInfo: async () => { throw new Error('engine not running'); },
    removeAllData: async () => { events.push('clean'); },
    beforeFactoryReset: async () => { events.push('stop'); },
    afterFactoryReset: async () => { events.push('context'); },
  });
  const r = await svc.collect();
  assert.ok(r.archivePath.startsWith(path.join(home, 'diagnostics')));
  assert.ok(r.files.includes('docker-info.txt'));
  await svc.cleanData('confirm');
  await svc.factoryReset('confirm');
  assert.deepEqual(events, ['clean', 'stop', 'context']);
  assert.deepEqual((await fs.readdir(home)).sort(), ['diagnostics', 'logs']);
});
