import assert from 'node:assert/strict';
import { chmod, cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { debFileName, parseSimulatedInstall } from '../../../vm-assets/builder/apt.js';
import { imageHash } from '../../../vm-assets/builder/hash.js';
import { isBuildStep, kernelKey, missingOptions } from '../../../vm-assets/builder/kernel.js';
import { globToRegExp } from '../../../vm-assets/builder/rootfs.js';
import { mksquashfsArgs } from '../../../vm-assets/builder/squashfs.js';
import { upstreamVersion } from '../../../vm-assets/builder/versions.js';

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
});

test('strip globs: * stays inside a segment, ** crosses them', () => {
  assert.ok(globToRegExp('etc/rc?.d').test('etc/rc3.d'));
  assert.ok(globToRegExp('usr/sbin/e2scrub*').test('usr/sbin/e2scrub_all'));
  assert.ok(!globToRegExp('usr/share/*').test('usr/share/doc/x'));
  assert.ok(globToRegExp('**/*.a').test('usr/lib/x86_64-linux-gnu/libc.a'));
  assert.ok(globToRegExp('usr/sbin/mklost+found').test('usr/sbin/mklost+found'));
});

test('the kernel cache key follows the source version and every config byte', () => {
  const k = kernelKey('6.1.192-2', 'CONFIG_A=y\n');
  assert.match(k, /^[0-9a-f]{16}$/);
  assert.equal(kernelKey('6.1.192-2', Buffer.from('CONFIG_A=y\n')), k, 'string and bytes agree');
  assert.notEqual(kernelKey('6.1.193-1', 'CONFIG_A=y\n'), k, 'a security update recompiles');
  assert.notEqual(kernelKey('6.1.192-2', 'CONFIG_A=y\nCONFIG_B=y\n'), k, 'a config edit recompiles');
});

test('options the guest needs must come out built in, not as modules or unset', () => {
  const config = ['CONFIG_SQUASHFS=y', 'CONFIG_OVERLAY_FS=m', '# CONFIG_VIRTIO_FS is not set', 'CONFIG_BRIDGE=y', 'CONFIG_BRIDGE_NETFILTER=y'].join('\n');
  assert.deepEqual(missingOptions(config, ['SQUASHFS', 'OVERLAY_FS', 'VIRTIO_FS', 'BRIDGE', 'VETH']), ['OVERLAY_FS', 'VIRTIO_FS', 'VETH']);
  assert.deepEqual(missingOptions(config, ['BRIDGE']), [], 'BRIDGE_NETFILTER=y does not count for BRIDGE, BRIDGE=y does');
  assert.deepEqual(missingOptions('CONFIG_BRIDGE_NETFILTER=y', ['BRIDGE']), ['BRIDGE']);
});

test('kbuild step lines drive the compile progress; other output does not', () => {
  for (const l of ['  CC      kernel/fork.o', '  LD      vmlinux.o', '  AR      fs/built-in.a', '  HOSTCC  scripts/kconfig/conf.o', '  OBJCOPY arch/x86/boot/setup.bin']) {
    assert.ok(isBuildStep(l), l);
  }
  for (const l of ['make[1]: Entering directory', 'Kernel: arch/x86/boot/bzImage is ready  (#1)', '#', 'scripts/foo.c:1: warning: x']) {
    assert.ok(!isBuildStep(l), l);
  }
});

test('an uncompressed squashfs compresses nothing (inodes, data, fragments, xattrs)', () => {
  const args = mksquashfsArgs('r', 'o', { compression: 'none', blockSize: 1048576 });
  assert.deepEqual(args.slice(-4), ['-noI', '-noD', '-noF', '-noX']);
  assert.ok(!args.includes('-comp'));
});

test('mksquashfs gets x86 BCJ for xz and the configured level for zstd', () => {
  assert.deepEqual(mksquashfsArgs('r', 'o', { compression: 'xz', blockSize: 1048576 }).slice(-6), ['-b', '1048576', '-comp', 'xz', '-Xbcj', 'x86']);
  assert.deepEqual(mksquashfsArgs('r', 'o', { compression: 'zstd', level: 19, blockSize: 131072 }).slice(-2), ['-Xcompression-level', '19']);
});

async function fakeRepo(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'wharf-hash-'));
  await mkdir(path.join(dir, 'vm-assets/guest/root/usr/lib/wharf'), { recursive: true });
  await mkdir(path.join(dir, 'vm-assets/kernel'), { recursive: true });
  await writeFile(path.join(dir, 'vm-assets/kernel/config'), 'CONFIG_SQUASHFS=y\n');
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
    const hm = await imageHash(b);
    assert.notEqual(hm, hx, 'manifest matters');

    await writeFile(path.join(b, 'vm-assets/kernel/config'), 'CONFIG_SQUASHFS=y\nCONFIG_VETH=y\n');
    assert.notEqual(await imageHash(b), hm, 'the kernel config matters');

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
