import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildHostInfo, probeHost } from '../../../src-main/core/settings/host-info.js';
import { fakeProbe } from './helpers.js';

const row = <T extends { name: string }>(rows: T[], name: string): T => rows.find((r) => r.name === name)!;

test('linux with usable /dev/kvm: kvm available but marked unproven; hvf/whpx/vz/wsl not', () => {
  const info = buildHostInfo(fakeProbe({ virtiofsd: '/usr/lib/qemu/virtiofsd' }));
  assert.equal(row(info.accelerators, 'kvm').available, true);
  assert.match(row(info.accelerators, 'kvm').reason!, /^unproven/);
  assert.equal(row(info.accelerators, 'tcg').available, true);
  assert.equal(row(info.accelerators, 'auto').available, true);
  assert.equal(row(info.accelerators, 'hvf').available, false);
  assert.equal(row(info.accelerators, 'whpx').available, false);
  assert.equal(row(info.backends, 'qemu').available, true);
  assert.match(row(info.backends, 'wsl').reason!, /only on Windows/);
  assert.match(row(info.backends, 'vz').reason!, /only on macOS/);
  assert.equal(info.virtiofsd, '/usr/lib/qemu/virtiofsd');
});

test('linux without /dev/kvm or without access says how to fix it', () => {
  assert.match(row(buildHostInfo(fakeProbe({ kvm: 'missing' })).accelerators, 'kvm').reason!, /does not exist/);
  assert.match(row(buildHostInfo(fakeProbe({ kvm: 'no-access' })).accelerators, 'kvm').reason!, /usermod -aG kvm/);
});

test('no qemu binary: the qemu backend is unavailable with an install hint', () => {
  const q = row(buildHostInfo(fakeProbe({ qemuBinary: undefined })).backends, 'qemu');
  assert.equal(q.available, false);
  assert.match(q.reason!, /qemu-system-x86_64 was not found/);
});

test('macOS: vz needs Darwin 21 (macOS 12); hvf available', () => {
  const old = buildHostInfo(fakeProbe({ platform: 'darwin', osRelease: '20.6.0', kvm: 'not-linux' }));
  assert.equal(row(old.backends, 'vz').available, false);
  assert.match(row(old.backends, 'vz').reason!, /macOS 12/);
  const cur = buildHostInfo(fakeProbe({ platform: 'darwin', osRelease: '23.1.0', kvm: 'not-linux' }));
  // The host could run it, but this build has no VZ engine: shown disabled with that reason.
  assert.equal(row(cur.backends, 'vz').available, false);
  assert.match(row(cur.backends, 'vz').reason!, /does not include/);
  assert.equal(row(cur.accelerators, 'hvf').available, true);
  assert.equal(row(cur.accelerators, 'kvm').available, false);
});

test('Windows: wsl is refused with a reason (not in this build, or not installed); whpx only here', () => {
  const w = buildHostInfo(fakeProbe({ platform: 'win32', wsl2Available: true, kvm: 'not-linux' }));
  assert.equal(row(w.backends, 'wsl').available, false);
  assert.match(row(w.backends, 'wsl').reason!, /does not include the WSL 2 engine/);
  assert.equal(row(w.accelerators, 'whpx').available, true);
  assert.equal(row(buildHostInfo(fakeProbe({ platform: 'win32', wsl2Available: false })).backends, 'wsl').available, false);
});

test('probing this machine returns sane numbers', async () => {
  const p = await probeHost();
  assert.ok(p.cpus >= 1);
  assert.ok(p.memoryMiB > 256);
  assert.ok(['linux', 'darwin', 'win32'].includes(p.platform));
  if (p.platform === 'linux') assert.ok(['rw', 'no-access', 'missing'].includes(p.kvm));
});
