import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { stringify } from 'yaml';
import {
  parseManifest, renderInittab, renderSourcesList, ManifestError, requiredKernelOptions, stripFor,
} from '../../../vm-assets/builder/manifest.js';

const repoManifest = path.resolve(import.meta.dirname, '../../../vm-assets/wharf.yml');

async function realManifestObject(): Promise<Record<string, unknown>> {
  const { parse } = await import('yaml');
  return parse(await readFile(repoManifest, 'utf8')) as Record<string, unknown>;
}

test('the repository manifest is valid and names what the issue requires', async () => {
  const m = parseManifest(await readFile(repoManifest, 'utf8'));
  for (const p of ['docker.io', 'containerd', 'runc', 'iptables', 'e2fsprogs', 'busybox-static']) {
    assert.ok(m.packages.install.includes(p), p);
  }
  assert.equal(m.kernel.package, 'linux-source-6.1', "bookworm's 6.1 boots under QEMU 7.2 TCG; trixie's 6.12 does not");
  assert.deepEqual(m.sources[m.kernel.source]!.flatMap((s) => s.suites), ['bookworm', 'bookworm-updates', 'bookworm-security']);
  assert.deepEqual(m.arch, ['amd64', 'arm64']);
  for (const a of m.arch) {
    const config = await readFile(path.resolve(path.dirname(repoManifest), m.kernel.config[a]!), 'utf8');
    assert.doesNotMatch(config, /^CONFIG_MODULES=y$/m, `${a}: everything built in: the image carries no modules`);
  }
  const amd64 = await readFile(path.resolve(path.dirname(repoManifest), m.kernel.config.amd64!), 'utf8');
  assert.match(amd64, /^CONFIG_KERNEL_XZ=y$/m);
  for (const o of ['VIRTIO_BLK', 'SQUASHFS', 'OVERLAY_FS', 'VIRTIO_FS', 'BRIDGE_NETFILTER', 'NF_TABLES']) assert.ok(m.kernel.require.includes(o), o);
  assert.ok(m.strip.includes('usr/bin/docker'), 'the docker CLI stays on the host');
});

test('invalid YAML is reported as such, with the file name', () => {
  assert.throws(() => parseManifest('name: [unclosed', 'x.yml'), (e: Error) => e instanceof ManifestError && /x\.yml: not valid YAML/.test(e.message));
});

test('schema errors name the path of every bad field', async () => {
  const raw = await realManifestObject();
  const bad = { ...raw, arch: ['sparc'], packages: { source: 'trixie', install: ['Docker IO'] } };
  assert.throws(() => parseManifest(stringify(bad)), (e: Error) => {
    assert.match(e.message, /arch\.0: Invalid option: expected one of "amd64"\|"arm64"/);
    assert.match(e.message, /packages\.install\.0: not a Debian package name/);
    return true;
  });
});

test('paths that escape the repository are rejected', async () => {
  const raw = await realManifestObject();
  assert.throws(() => parseManifest(stringify({ ...raw, files: [{ source: '../../etc', target: '/' }] })), /files\.0\.source: must be a relative path/);
});

test('guest helpers are C sources inside vm-assets, each with an absolute target', async () => {
  const raw = await realManifestObject();
  const m = parseManifest(stringify(raw));
  assert.deepEqual(m.helpers.map((h) => [h.target, h.preload]), [
    ['/usr/lib/wharf/bin/xtables-norandom', false],
    ['/usr/lib/wharf/bin/inode-reclaim', false],
    ['/usr/lib/wharf/lib/xtables-forkserver.so', true],
  ]);
  assert.throws(() => parseManifest(stringify({ ...raw, helpers: [{ source: 'guest/helpers/x.sh', target: '/x' }] })), /helpers\.0\.source: must be a \.c file/);
  assert.throws(() => parseManifest(stringify({ ...raw, helpers: [{ source: '../x.c', target: '/x' }] })), /helpers\.0\.source: must be a relative path/);
  assert.throws(() => parseManifest(stringify({ ...raw, helpers: [{ source: 'guest/helpers/x.c', target: 'x' }] })), /helpers\.0\.target/);
});

test('sources must be defined before they are used', async () => {
  const raw = await realManifestObject();
  const bad = { ...raw, kernel: { ...(raw.kernel as object), source: 'sid' } };
  assert.throws(() => parseManifest(stringify(bad)), /source "sid" is used but not defined/);
});

test('a package cannot be both installed and excluded; service names are unique', async () => {
  const raw = await realManifestObject();
  const pk = raw.packages as Record<string, unknown>;
  assert.throws(() => parseManifest(stringify({ ...raw, packages: { ...pk, exclude: ['runc'] } })), /"runc" is both installed and excluded/);
  const svc = { name: 'x', action: 'once', command: '/bin/true' };
  assert.throws(() => parseManifest(stringify({ ...raw, services: [svc, svc] })), /duplicate name "x"/);
});

test('inittab runs sysinit first, the services, and the shutdown script', async () => {
  const m = parseManifest(await readFile(repoManifest, 'utf8'));
  const lines = renderInittab(m).split('\n').filter((l) => l && !l.startsWith('#'));
  assert.equal(lines[0], '::sysinit:/usr/lib/wharf/boot');
  assert.ok(lines.includes('hvc0::respawn:/usr/lib/wharf/shell'));
  assert.ok(lines.includes('::once:/usr/lib/wharf/engine'));
  assert.ok(lines.includes('::shutdown:/usr/lib/wharf/shutdown'));
});

test('sources.list has one signed line per suite', async () => {
  const m = parseManifest(await readFile(repoManifest, 'utf8'));
  const text = renderSourcesList(m, 'bookworm', '/k.gpg');
  assert.deepEqual(text.trim().split('\n'), [
    'deb [signed-by=/k.gpg] http://deb.debian.org/debian bookworm main',
    'deb [signed-by=/k.gpg] http://deb.debian.org/debian bookworm-updates main',
    'deb [signed-by=/k.gpg] http://deb.debian.org/debian-security bookworm-security main',
  ]);
});

test('each architecture has its own kernel config and required options; the common list applies to both', async () => {
  const m = parseManifest(await readFile(repoManifest, 'utf8'));
  assert.notEqual(m.kernel.config.amd64, m.kernel.config.arm64);
  const amd64 = requiredKernelOptions(m, 'amd64');
  const arm64 = requiredKernelOptions(m, 'arm64');
  for (const o of m.kernel.require) assert.ok(amd64.includes(o) && arm64.includes(o), o);
  // The console, RTC and power button differ between q35 and virt.
  for (const o of ['RTC_DRV_CMOS', 'ACPI_BUTTON', 'KERNEL_XZ']) assert.ok(amd64.includes(o) && !arm64.includes(o), o);
  for (const o of ['RTC_DRV_PL031', 'SERIAL_AMBA_PL011_CONSOLE', 'KEYBOARD_GPIO', 'GPIO_PL061', 'VIRTIO_MMIO']) {
    assert.ok(arm64.includes(o) && !amd64.includes(o), o);
  }
  for (const o of ['NET_9P_VIRTIO', '9P_FS', 'VIRTIO_VSOCKETS', 'VIRTIO_FS', 'BINFMT_MISC']) assert.ok(m.kernel.require.includes(o), o);
});

test('the committed arm64 config turns on what the arm64 list requires (olddefconfig only adds defaults)', async () => {
  const m = parseManifest(await readFile(repoManifest, 'utf8'));
  const config = await readFile(path.resolve(path.dirname(repoManifest), m.kernel.config.arm64!), 'utf8');
  for (const o of m.kernel.requireArch.arm64!) assert.match(config, new RegExp(`^CONFIG_${o}=y$`, 'm'), o);
});

test('strip patterns name the multiarch directory of the architecture being built', async () => {
  const m = parseManifest(await readFile(repoManifest, 'utf8'));
  assert.ok(stripFor(m, 'amd64').includes('usr/lib/x86_64-linux-gnu/gconv'));
  assert.ok(stripFor(m, 'arm64').includes('usr/lib/aarch64-linux-gnu/gconv'));
  assert.ok(!stripFor(m, 'arm64').some((p) => p.includes('{triplet}')));
});

test('an architecture listed without a kernel config or emulation target is rejected', async () => {
  const raw = await realManifestObject();
  const k = raw.kernel as Record<string, unknown>;
  assert.throws(() => parseManifest(stringify({ ...raw, kernel: { ...k, config: { amd64: 'kernel/config-6.1' } } })), /kernel\.config has no entry for arm64/);
  const e = raw.emulation as Record<string, unknown>;
  assert.throws(() => parseManifest(stringify({ ...raw, emulation: { ...e, targets: { amd64: ['aarch64'] } } })), /emulation\.targets has no entry for arm64/);
});
