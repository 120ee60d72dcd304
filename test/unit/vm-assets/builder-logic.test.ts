import assert from 'node:assert/strict';
import { chmod, cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { debFileName, parseSimulatedInstall } from '../../../vm-assets/builder/apt.js';
import { imageHash } from '../../../vm-assets/builder/hash.js';
import { closure, type ModuleInfo, parseDepends, selectByPath } from '../../../vm-assets/builder/modules.js';
import { globToRegExp } from '../../../vm-assets/builder/rootfs.js';
import { mksquashfsArgs } from '../../../vm-assets/builder/squashfs.js';
import { kernelVersionFromFile, upstreamVersion } from '../../../vm-assets/builder/versions.js';

test('apt simulation output becomes name/version/arch', () => {
  const out = [
    'NOTE: This is only a simulation!',
    'Inst libc6 (2.36-9+deb12u14 Debian:12.15/oldstable [amd64]) []',
    'Inst libaudit-common (1:3.0.9-1 Debian:12.15/oldstable [all])',
    'Conf libc6 (2.36-9+deb12u14 Debian:12.15/oldstable [amd64])',
  ].join('\n');
  assert.deepEqual(parseSimulatedInstall(out), [
    { name: 'libc6', version: '2.36-9+deb12u14', arch: 'amd64' },
    { name: 'libaudit-common', version: '1:3.0.9-1', arch: 'all' },
  ]);
  assert.equal(debFileName({ name: 'busybox-static', version: '1:1.37.0-6+b9', arch: 'amd64' }), 'busybox-static_1%3a1.37.0-6+b9_amd64.deb');
});

test('versions shown to users are the upstream ones', () => {
  assert.equal(upstreamVersion('26.1.5+dfsg1-9+deb13u1'), '26.1.5');
  assert.equal(upstreamVersion('1.7.24~ds1-6+deb13u1'), '1.7.24');
  assert.equal(upstreamVersion('1:1.37.0-6+b9'), '1.37.0');
  assert.equal(kernelVersionFromFile('vmlinuz-6.1.0-56-cloud-amd64'), '6.1.0-56-cloud-amd64');
  assert.equal(kernelVersionFromFile('config-6.1.0'), undefined);
});

test('strip globs: * stays inside a segment, ** crosses them', () => {
  assert.ok(globToRegExp('etc/rc?.d').test('etc/rc3.d'));
  assert.ok(globToRegExp('usr/sbin/e2scrub*').test('usr/sbin/e2scrub_all'));
  assert.ok(!globToRegExp('usr/share/*').test('usr/share/doc/x'));
  assert.ok(globToRegExp('**/*.a').test('usr/lib/x86_64-linux-gnu/libc.a'));
  assert.ok(globToRegExp('usr/sbin/mklost+found').test('usr/sbin/mklost+found'));
});

test('module dependencies come from .modinfo and load dependencies first', () => {
  const ko = Buffer.concat([Buffer.from('\x7fELF junk\0license=GPL\0depends=virtio,virtio_ring\0name=virtio_net\0')]);
  assert.deepEqual(parseDepends(ko), ['virtio', 'virtio_ring']);
  assert.deepEqual(parseDepends(Buffer.from('\0depends=\0')), []);
  const mod = (name: string, rel: string, depends: string[] = []): [string, ModuleInfo] => [name, { name, rel, depends }];
  const index = new Map([
    mod('virtio_ring', 'kernel/drivers/virtio/virtio_ring.ko'),
    mod('virtio', 'kernel/drivers/virtio/virtio.ko', ['virtio_ring']),
    mod('virtio_net', 'kernel/drivers/net/virtio_net.ko', ['virtio', 'virtio_ring', 'net_failover']),
    mod('net_failover', 'kernel/drivers/net/net_failover.ko', ['failover']),
    mod('failover', 'kernel/net/core/failover.ko'),
    mod('ip_vs', 'kernel/net/netfilter/ipvs/ip_vs.ko'),
    mod('nf_tables', 'kernel/net/netfilter/nf_tables.ko'),
  ]);
  const order = closure(index, ['virtio_net']).map((m) => m.name);
  assert.deepEqual(order, ['virtio_ring', 'virtio', 'failover', 'net_failover', 'virtio_net']);
  assert.throws(() => closure(index, ['nine_p']), /"nine_p" \(needed by the manifest\) is not in this kernel/);
  assert.deepEqual(selectByPath(index, ['kernel/net/netfilter'], ['kernel/net/netfilter/ipvs']), ['nf_tables']);
  assert.deepEqual(selectByPath(index, ['kernel/drivers/virtio/virtio.ko']), ['virtio']);
});

test('mksquashfs gets x86 BCJ for xz and the configured level for zstd', () => {
  assert.deepEqual(mksquashfsArgs('r', 'o', { compression: 'xz', blockSize: 1048576 }).slice(-6), ['-b', '1048576', '-comp', 'xz', '-Xbcj', 'x86']);
  assert.deepEqual(mksquashfsArgs('r', 'o', { compression: 'zstd', level: 19, blockSize: 131072 }).slice(-2), ['-Xcompression-level', '19']);
});

async function fakeRepo(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'wharf-hash-'));
  await mkdir(path.join(dir, 'vm-assets/guest/root/usr/lib/wharf'), { recursive: true });
  await writeFile(path.join(dir, 'vm-assets/wharf.yml'), 'name: x\n');
  await writeFile(path.join(dir, 'vm-assets/guest/root/usr/lib/wharf/boot'), '#!/bin/sh\n');
  await writeFile(path.join(dir, 'vm-assets/guest/root/b'), 'b');
  await symlink('/run', path.join(dir, 'vm-assets/guest/root/run-link'));
  return dir;
}

test('the image hash is stable across checkouts and sensitive to every input', async () => {
  const a = await fakeRepo();
  const b = path.join(os.tmpdir(), `wharf-hash-copy-${process.pid}`);
  try {
    await cp(a, b, { recursive: true, verbatimSymlinks: true });
    const h = await imageHash(a);
    assert.equal(await imageHash(b), h, 'same content in another directory');
    assert.equal(await imageHash(a), h, 'repeatable');

    await chmod(path.join(b, 'vm-assets/guest/root/usr/lib/wharf/boot'), 0o755);
    const hx = await imageHash(b);
    assert.notEqual(hx, h, 'executable bit matters (a non-executable init breaks the boot)');

    await writeFile(path.join(b, 'vm-assets/wharf.yml'), 'name: y\n');
    assert.notEqual(await imageHash(b), hx, 'manifest matters');

    await rm(path.join(b, 'vm-assets/guest/root/run-link'));
    await symlink('/var/run', path.join(b, 'vm-assets/guest/root/run-link'));
    const hl = await imageHash(b);
    await rm(path.join(b, 'vm-assets/guest/root/run-link'));
    await symlink('/run', path.join(b, 'vm-assets/guest/root/run-link'));
    assert.notEqual(await imageHash(b), hl, 'symlink targets matter');
  } finally {
    await rm(a, { recursive: true, force: true });
    await rm(b, { recursive: true, force: true });
  }
});
