import assert from 'node:assert/strict';
import { test } from 'node:test';
import { settingsSchema } from '../../../src-main/core/contract/settings-schema.js';
import { defaultSettings } from '../../../src-main/core/settings/defaults.js';
import { fakeProbe } from './helpers.js';

test('a 2-CPU 8 GiB Linux host gets 2 CPUs, 4 GiB, qemu, and the home folder shared', () => {
  const s = defaultSettings(fakeProbe());
  assert.deepEqual(s, {
    version: 3, cpus: 2, memory: 4096, swap: 1024, disk: 64, accelerator: 'auto', backend: 'qemu',
    switchContext: true, fileShares: ['/home/dev'], fileSharing: 'auto', syncedShares: [], daemonJson: {}, startAtLogin: false,
    httpProxy: '', httpsProxy: '', noProxy: '', containerHttpProxy: '', containerHttpsProxy: '', containerNoProxy: '', resourceSaverMinutes: 5,
  });
  assert.ok(settingsSchema.safeParse(s).success);
});

test('memory is capped at 8 GiB and cpus are half the host, at least 2 where there are 2', () => {
  const s = defaultSettings(fakeProbe({ cpus: 64, memoryMiB: 256 * 1024 }));
  assert.equal(s.cpus, 32);
  assert.equal(s.memory, 8192);
  assert.deepEqual([2, 3, 4, 5, 8].map((cpus) => defaultSettings(fakeProbe({ cpus })).cpus), [2, 2, 2, 2, 4]);
});

test('a 1-CPU host still gets 1 CPU, and a tiny host at least 1 GiB', () => {
  const s = defaultSettings(fakeProbe({ cpus: 1, memoryMiB: 1500 }));
  assert.equal(s.cpus, 1);
  assert.equal(s.memory, 1024);
});

test('macOS gets qemu (the only engine in this build) and the usual extra shares', () => {
  const s = defaultSettings(fakeProbe({ platform: 'darwin', homedir: '/Users/dev/' }));
  assert.equal(s.backend, 'qemu');
  assert.deepEqual(s.fileShares, ['/Users/dev', '/Volumes', '/private', '/tmp', '/var/folders']);
});

test('Windows gets WSL 2 where it works (as Docker Desktop does), else qemu', () => {
  assert.equal(defaultSettings(fakeProbe({ platform: 'win32', wslAvailable: true, homedir: 'C:\\Users\\dev' })).backend, 'wsl');
  const s = defaultSettings(fakeProbe({ platform: 'win32', wslAvailable: false, homedir: 'C:\\Users\\dev' }));
  assert.equal(s.backend, 'qemu');
  assert.deepEqual(s.fileShares, ['C:\\Users\\dev']);
});
