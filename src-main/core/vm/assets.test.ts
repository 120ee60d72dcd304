import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { findVmAssets, manifestHash } from './assets.js';

let repo: string;
let cache: string;

before(async () => {
  repo = await mkdtemp(path.join(os.tmpdir(), 'wharf-assets-repo-'));
  cache = await mkdtemp(path.join(os.tmpdir(), 'wharf-assets-cache-'));
  await mkdir(path.join(repo, 'vm-assets/guest/root/etc'), { recursive: true });
  await mkdir(path.join(repo, 'vm-assets/kernel'), { recursive: true });
  await writeFile(path.join(repo, 'vm-assets/wharf.yml'), 'name: test\n');
  await writeFile(path.join(repo, 'vm-assets/kernel/config-6.1'), 'CONFIG_SQUASHFS=y\n');
  await writeFile(path.join(repo, 'vm-assets/guest/root/etc/hosts'), '127.0.0.1 localhost\n');
});

after(async () => {
  await rm(repo, { recursive: true, force: true });
  await rm(cache, { recursive: true, force: true });
});

async function fakeImage(hash: string, meta: object): Promise<string> {
  const dir = path.join(cache, 'images', hash);
  await mkdir(dir, { recursive: true });
  for (const f of ['vmlinuz', 'initrd.img', 'rootfs.squashfs']) await writeFile(path.join(dir, f), 'x');
  await writeFile(path.join(dir, 'image.json'), JSON.stringify(meta));
  return dir;
}

test('returns null until the image for the current manifest is built', async () => {
  assert.equal(await findVmAssets({ cacheDir: cache, repoRoot: repo }), null);
});

test('finds the built image and reports its versions', async () => {
  const hash = await manifestHash(repo);
  const dir = await fakeImage(hash, { hash, kernelVersion: '6.1.192-wharf', dockerVersion: '26.1.5', containerdVersion: '1.7.24' });
  const a = await findVmAssets({ cacheDir: cache, repoRoot: repo, arch: 'amd64' });
  assert.deepEqual(a, {
    arch: 'amd64',
    kernel: path.join(dir, 'vmlinuz'),
    initrd: path.join(dir, 'initrd.img'),
    rootfs: path.join(dir, 'rootfs.squashfs'),
    hash,
    dir,
    kernelVersion: '6.1.192-wharf',
    dockerVersion: '26.1.5',
    containerdVersion: '1.7.24',
  });
});

test('a changed guest script means a different image, not a stale one', async () => {
  const before = await manifestHash(repo);
  await writeFile(path.join(repo, 'vm-assets/guest/root/etc/hosts'), '127.0.0.1 localhost wharf\n');
  const afterEdit = await manifestHash(repo);
  assert.notEqual(before, afterEdit);
  assert.equal(await findVmAssets({ cacheDir: cache, repoRoot: repo }), null);
});

test('an image directory without image.json (an interrupted copy) is not used', async () => {
  const hash = await manifestHash(repo);
  await fakeImage(hash, {});
  await rm(path.join(cache, 'images', hash, 'image.json'));
  assert.equal(await findVmAssets({ cacheDir: cache, repoRoot: repo }), null);
});

test('no manifest at all gives null rather than throwing', async () => {
  const empty = await mkdtemp(path.join(os.tmpdir(), 'wharf-assets-empty-'));
  try {
    assert.equal(await findVmAssets({ cacheDir: cache, repoRoot: empty }), null);
  } finally {
    await rm(empty, { recursive: true, force: true });
  }
});

test('the real repository manifest hashes to a stable 16-hex-digit id', async () => {
  const root = path.resolve(import.meta.dirname, '../../..');
  const a = await manifestHash(root);
  assert.match(a, /^[0-9a-f]{16}$/);
  assert.equal(await manifestHash(root), a);
});

test('each architecture has its own image: an arm64 lookup finds Image under its own hash, never the amd64 image', async () => {
  const amd = await manifestHash(repo, 'amd64');
  const arm = await manifestHash(repo, 'arm64');
  assert.notEqual(amd, arm);
  await fakeImage(amd, { hash: amd });
  assert.equal(await findVmAssets({ cacheDir: cache, repoRoot: repo, arch: 'arm64' }), null);
  const dir = await fakeImage(arm, { hash: arm });
  assert.equal(await findVmAssets({ cacheDir: cache, repoRoot: repo, arch: 'arm64' }), null, 'an arm64 image has Image, not vmlinuz');
  await writeFile(path.join(dir, 'Image'), 'x');
  const a = await findVmAssets({ cacheDir: cache, repoRoot: repo, arch: 'arm64' });
  assert.equal(a?.arch, 'arm64');
  assert.equal(a?.kernel, path.join(dir, 'Image'));
});
