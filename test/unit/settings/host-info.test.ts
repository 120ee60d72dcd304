import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildHostInfo, probeHost } from '../../../src-main/core/settings/host-info.js';
import { probeBackends } from '../../../src-main/core/vm/factory.js';
import { acceleratorRows, qemuRow } from '../../../src-main/core/vm/qemu/availability.js';
import { fakeProbe } from './helpers.js';

const row = <T extends { name: string }>(rows: T[], name: string): T => rows.find((r) => r.name === name)!;

test('linux with usable /dev/kvm: kvm available but marked unproven; hvf/whpx not', () => {
  const info = buildHostInfo(fakeProbe({ virtiofsd: '/usr/lib/qemu/virtiofsd' }));
  assert.equal(row(info.accelerators, 'kvm').available, true);
  assert.match(row(info.accelerators, 'kvm').reason!, /^unproven/);
  assert.equal(row(info.accelerators, 'tcg').available, true);
  assert.equal(row(info.accelerators, 'auto').available, true);
  assert.equal(row(info.accelerators, 'hvf').available, false);
  assert.equal(row(info.accelerators, 'whpx').available, false);
  assert.equal(row(info.backends, 'qemu').available, true);
  assert.equal(info.virtiofsd, '/usr/lib/qemu/virtiofsd');
});

test('linux without /dev/kvm or without access says how to fix it', () => {
  assert.match(row(acceleratorRows({ platform: 'linux', kvm: 'missing' }), 'kvm').reason!, /does not exist/);
  assert.match(row(acceleratorRows({ platform: 'linux', kvm: 'no-access' }), 'kvm').reason!, /usermod -aG kvm/);
});

test('no qemu binary: the qemu backend is unavailable with an install hint', () => {
  const q = qemuRow({ platform: 'linux', kvm: 'rw' });
  assert.equal(q.available, false);
  assert.match(q.reason!, /qemu-system-x86_64 was not found.*apt-get install qemu-system-x86/);
  assert.match(qemuRow({ platform: 'darwin', kvm: 'not-linux' }).reason!, /brew install qemu/);
});

test('macOS: vz needs Darwin 21 (macOS 12); hvf available', async () => {
  const old = await probeBackends({ platform: 'darwin', osRelease: '20.6.0' }, { PATH: '' });
  assert.equal(row(old.backends, 'vz').available, false);
  assert.match(row(old.backends, 'vz').reason!, /macOS 12/);
  const cur = await probeBackends({ platform: 'darwin', osRelease: '23.1.0' }, { PATH: '' });
  // The host could run it, but this build has no VZ engine: shown disabled with that reason.
  assert.equal(row(cur.backends, 'vz').available, false);
  assert.match(row(cur.backends, 'vz').reason!, /does not include/);
  assert.equal(row(cur.accelerators, 'hvf').available, true);
  assert.equal(row(cur.accelerators, 'kvm').available, false);
});

test('linux: wsl and vz are refused with the reason; whpx exists only on Windows', async () => {
  const linux = await probeBackends({ platform: 'linux', osRelease: '6.1.0' }, { PATH: '' });
  assert.match(row(linux.backends, 'wsl').reason!, /only on Windows/);
  assert.match(row(linux.backends, 'vz').reason!, /only on macOS/);
  assert.equal(row(acceleratorRows({ platform: 'win32', kvm: 'not-linux' }), 'whpx').available, true);
});

test('probing this machine returns sane numbers', async () => {
  const p = await probeHost();
  assert.ok(p.cpus >= 1);
  assert.ok(p.memoryMiB > 256);
  assert.ok(['linux', 'darwin', 'win32'].includes(p.platform));
  assert.ok(p.backends.some((b) => b.name === 'qemu'));
});
