import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HostInfo, Settings } from '../../../src-main/core/contract/index.js';
import { formatBytes } from '../../../src-renderer/util/format.js';
import {
  describeChange, fileShareProblem, formatMiB, lineNumbers, resourceBounds, resourceErrors,
} from '../../../src-renderer/views/settings/format.js';

const host: HostInfo = { platform: 'linux', cpus: 8, memoryMiB: 15953, backends: [], accelerators: [] };
const saved: Settings = {
  version: 3, cpus: 2, memory: 2048, swap: 1024, disk: 64, accelerator: 'auto', backend: 'qemu',
  switchContext: true, fileShares: ['/home/u'], fileSharing: 'auto', syncedShares: [], daemonJson: {}, startAtLogin: false,
    httpProxy: '', httpsProxy: '', noProxy: '', containerHttpProxy: '', containerHttpsProxy: '', containerNoProxy: '', resourceSaverMinutes: 5,
};

describe('resource bounds', () => {
  it('CPUs go from 1 to the host\'s CPUs; memory from 1 GiB to the host\'s memory in 256 MiB steps', () => {
    const b = resourceBounds(host, saved);
    assert.deepEqual(b.cpus, { min: 1, max: 8, step: 1 });
    assert.deepEqual(b.memory, { min: 1024, max: 15953, step: 256 });
    assert.equal(b.swap.min, 0);
    assert.equal(b.swap.step, 256);
    assert.equal(b.swap.max % 256, 0);
  });
  it('the disk starts at its current size', () => {
    const b = resourceBounds(host, { ...saved, disk: 100 });
    assert.equal(b.disk.min, 100);
    assert.ok(b.disk.max > 100);
  });
});

describe('resource errors', () => {
  it('accepts the saved settings', () => {
    assert.deepEqual(resourceErrors(saved, host, saved), {});
  });
  it('refuses a disk shrink and says why', () => {
    const e = resourceErrors({ ...saved, disk: 32 }, host, saved);
    assert.match(e.disk!, /only grows/);
    assert.match(e.disk!, /64 GiB/);
  });
  it('refuses more CPUs or memory than the host has, and fractions', () => {
    const e = resourceErrors({ ...saved, cpus: 9, memory: 20000, swap: 1.5 }, host, saved);
    assert.match(e.cpus!, /8 CPUs/);
    assert.match(e.memory!, /cannot have more/);
    assert.match(e.swap!, /whole/);
    assert.match(resourceErrors({ ...saved, memory: 512 }, host, saved).memory!, /at least 1 GiB/);
  });
});

describe('file share checks', () => {
  it('wants an absolute path', () => {
    assert.match(fileShareProblem('src', [], 'linux')!, /absolute/);
    assert.match(fileShareProblem('', [], 'linux')!, /Enter/);
    assert.match(fileShareProblem('src', [], 'win32')!, /C:\\/);
    assert.equal(fileShareProblem('C:\\src', [], 'win32'), undefined);
  });
  it('refuses duplicates and overlaps, in both directions', () => {
    assert.match(fileShareProblem('/home/u/', ['/home/u'], 'linux')!, /already shared/);
    assert.match(fileShareProblem('/home/u/src', ['/home/u'], 'linux')!, /inside \/home\/u/);
    assert.match(fileShareProblem('/home', ['/home/u'], 'linux')!, /Remove \/home\/u first/);
    assert.equal(fileShareProblem('/home/user2', ['/home/u'], 'linux'), undefined, 'a common prefix is not nesting');
    assert.match(fileShareProblem('c:\\Users\\me\\src', ['C:\\Users\\me'], 'win32')!, /inside/);
  });
});

describe('formatting', () => {
  it('formats sizes', () => {
    assert.equal(formatMiB(2048), '2 GiB');
    assert.equal(formatMiB(1536), '1.5 GiB');
    assert.equal(formatMiB(512), '512 MiB');
    assert.equal(formatBytes(12_345_678), '12.3 MB');
    assert.equal(formatBytes(999), '999 B');
  });
  it('describes changes for the confirmation', () => {
    assert.equal(describeChange('memory', 2048, 4096), 'Memory: 2 GiB → 4 GiB');
    assert.equal(describeChange('cpus', 2, 4), 'CPUs: 2 → 4');
    assert.equal(describeChange('swap', 1024, 0), 'Swap: 1 GiB → off');
  });
  it('numbers lines', () => {
    assert.equal(lineNumbers('{\n}\n'), '1\n2\n3');
  });
});
