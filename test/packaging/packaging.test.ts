import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import asar from '@electron/asar';
import { Arch, build, Platform } from 'electron-builder';
import { PACKAGE_ARCHES, stage } from '../../build/stage-vm-image.js';
import { findVmAssets } from '../../src-main/core/vm/assets.js';
import { imageHash } from '../../src-main/core/vm/image-hash.js';
import { kernelFileName } from '../../vm-assets/builder/cache.js';
import { repoRoot, WharfTestEnv, qemuProcessesFor, waitFor } from '../support/wharf-env.js';

type PackageArch = keyof typeof PACKAGE_ARCHES;
const ARCHES = Object.keys(PACKAGE_ARCHES) as PackageArch[];

/**
 * `electron-builder --dir` for x64 and arm64 Linux with electron-builder.yml as shipped, then
 * the core started under Node from the x64 package's resources/ boots the image that package
 * carries, to `docker version`.
 *
 * No Electron binary can be downloaded here, so `electronDist` points at an unpacked layout
 * whose `electron` is a placeholder script: the package's executable is that placeholder and
 * is never run. For the same reason this build skips what patches or compiles against that
 * binary: the fuses (electronFuses: null) and the native rebuild (npmRebuild: false, which
 * needs Electron's headers). Everything else (files, asar, extraResources) is the real thing.
 */
describe('packages from electron-builder --dir carry their own image, and the core boots it', { timeout: 30 * 60_000 }, () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'wharf-packaging-'));
  const project = path.join(work, 'project');
  const electronDist = path.join(work, 'electron-dist');
  const output = path.join(work, 'release');
  const unpacked: Record<PackageArch, string> = { x64: path.join(output, 'linux-unpacked'), arm64: path.join(output, 'linux-arm64-unpacked') };
  const resources = (a: PackageArch): string => path.join(unpacked[a], 'resources');
  const env = new WharfTestEnv('packaged', { WHARF_CACHE: path.join(work, 'empty-cache') });
  let core: ChildProcess | undefined;

  before(async () => {
    // The checkout's tracked files in a scratch project, so out/ and build/vm-image/ are
    // built there and never in the working tree.
    fs.mkdirSync(project);
    const files = execFileSync('git', ['ls-files', '-z'], { cwd: repoRoot, maxBuffer: 64 << 20 });
    const tar = execFileSync('tar', ['--null', '-T', '-', '-cf', '-'], { cwd: repoRoot, input: files, maxBuffer: 512 << 20 });
    execFileSync('tar', ['-xf', '-', '-C', project], { input: tar });
    // electron-builder resolves the production dependencies under the project: a symlink to
    // another node_modules makes it drop the transitive ones, so a hard-linked copy.
    const modules = fs.realpathSync(path.join(repoRoot, 'node_modules'));
    try {
      execFileSync('cp', ['-al', modules, path.join(project, 'node_modules')]);
    } catch {
      execFileSync('cp', ['-a', modules, path.join(project, 'node_modules')]);
    }
    execFileSync(path.join(project, 'node_modules/.bin/electron-vite'), ['build'], { cwd: project, stdio: 'ignore' });
    for (const a of ARCHES) await stage(a, { out: path.join(project, 'build/vm-image') });

    fs.mkdirSync(electronDist);
    fs.writeFileSync(path.join(electronDist, 'electron'), '#!/bin/sh\necho "placeholder: no Electron binary could be downloaded where this package was built" >&2\nexit 1\n', { mode: 0o755 });
    await build({
      projectDir: project,
      targets: Platform.LINUX.createTarget('dir', Arch.x64, Arch.arm64),
      config: { electronDist, electronFuses: null, npmRebuild: false, directories: { output } },
    });
  });

  after(async () => {
    await env.wharf(['stop'], { timeoutMs: 120_000 });
    if (core && core.exitCode === null) {
      core.kill('SIGTERM');
      await new Promise((r) => core!.once('exit', r));
    }
    env.cleanup();
    fs.rmSync(work, { recursive: true, force: true });
  });

  test('the executable is the placeholder Electron (none can be downloaded here)', () => {
    const exe = fs.readFileSync(path.join(unpacked.x64, 'wharf'), 'utf8');
    assert.match(exe, /placeholder/);
  });

  test('each package carries only its own architecture image, under the hash of the inputs it ships', async () => {
    for (const a of ARCHES) {
      const guest = PACKAGE_ARCHES[a];
      const hash = await imageHash(resources(a), guest);
      assert.equal(hash, await imageHash(repoRoot, guest), `${a}: resources/vm-assets hashes like the checkout`);
      assert.deepEqual(fs.readdirSync(path.join(resources(a), 'vm-image/images')), [hash], `${a}: one image, its own`);
      const dir = path.join(resources(a), 'vm-image/images', hash);
      const meta = JSON.parse(fs.readFileSync(path.join(dir, 'image.json'), 'utf8')) as { arch: string };
      assert.equal(meta.arch, guest);
      assert.ok(fs.existsSync(path.join(dir, kernelFileName(guest))), `${a}: ${kernelFileName(guest)} ships`);
      const found = await findVmAssets({ cacheDir: path.join(resources(a), 'vm-image'), repoRoot: resources(a), arch: guest });
      assert.equal(found?.hash, hash, `${a}: the core resolves the shipped image`);
    }
  });

  test("app.asar holds the bundles and the core's runtime dependencies, transitive ones included", () => {
    const listed = new Set(asar.listPackage(path.join(resources('x64'), 'app.asar'), { isPack: false }));
    for (const f of ['/package.json', '/out/main/index.js', '/out/preload/index.cjs', '/out/renderer/index.html',
      '/node_modules/dockerode/package.json', '/node_modules/docker-modem/package.json', '/node_modules/ws/package.json',
      '/node_modules/yaml/package.json', '/node_modules/zod/package.json', '/node_modules/@peculiar/x509/package.json']) {
      assert.ok(listed.has(f), `${f} is not in app.asar`);
    }
  });

  test("the core started under Node from the x64 package's resources/ boots the image it ships, to docker version", async () => {
    const res = resources('x64');
    const hash = await imageHash(res, 'amd64');
    core = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'test/packaging/packaged-core.ts'), res], {
      cwd: repoRoot, env: env.env, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let said = '';
    core.stdout!.on('data', (d: Buffer) => { said += d.toString(); });
    core.stderr!.on('data', (d: Buffer) => { said += d.toString(); });
    await waitFor(async () => (said.includes('core local') || core!.exitCode !== null ? true : undefined), 60_000, 'the packaged core to serve').catch(() => undefined);
    assert.match(said, /core local/, `the core did not come up from the package's resources/: ${said}`);

    assert.equal((await env.wharf(['set', 'cpus=1', 'memory=1024'])).code, 0);
    const r = await env.wharf(['start'], { timeoutMs: 900_000 });
    assert.equal(r.code, 0, `${r.stderr}\n${r.stdout}\n${said}`);
    const meta = JSON.parse(fs.readFileSync(path.join(res, 'vm-image/images', hash, 'image.json'), 'utf8')) as { dockerVersion: string };
    const v = await env.docker(['version', '--format', '{{.Server.Version}}']);
    assert.equal(v.code, 0, v.stderr);
    // image.json records the upstream version; the engine reports Debian's (26.1.5+dfsg1).
    assert.ok(v.stdout.trim().split('+')[0] === meta.dockerVersion, `engine ${v.stdout.trim()}, package image ${meta.dockerVersion}`);
    const [pid] = qemuProcessesFor(env.home);
    const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    assert.equal(cmd[cmd.indexOf('-kernel') + 1], path.join(res, 'vm-image/images', hash, 'vmlinuz'), 'booted from the package');
    assert.equal((await env.wharf(['stop'], { timeoutMs: 180_000 })).code, 0);
  });
});
