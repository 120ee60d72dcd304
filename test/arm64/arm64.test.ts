import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WharfTestEnv, qemuProcessesFor, waitFor } from '../support/wharf-env.js';
import { assertBindMountBothWays } from '../support/bind-mount-check.js';
import { buildForeignBusyboxImage } from '../support/foreign-busybox.js';

/**
 * The arm64 guest (what Apple Silicon runs under HVF) booted here under
 * qemu-system-aarch64 with TCG: WHARF_GUEST_ARCH=arm64 picks it on this x86-64 host.
 * One boot covers the engine, a build, a published port, a 9p share both ways,
 * amd64 images by emulation, and a clean power-off through the virt machine's power key.
 */
describe('the arm64 guest under qemu-system-aarch64 (TCG)', { timeout: 40 * 60_000 }, () => {
  const env = new WharfTestEnv('arm64', { WHARF_GUEST_ARCH: 'arm64' });
  const share = fs.mkdtempSync(path.join(os.tmpdir(), 'wharf-arm64-share-'));
  let image = '';
  after(async () => {
    await env.wharf(['stop'], { timeoutMs: 120_000 });
    env.cleanup();
  });

  test('boots to docker version, reporting an arm64 guest', async () => {
    fs.writeFileSync(path.join(share, 'from-host.txt'), 'written on the host\n');
    assert.equal((await env.wharf(['set', 'fileSharing=9p', `fileShares=${share}`, 'cpus=2', 'memory=2048'])).code, 0);
    const r = await env.wharf(['start'], { timeoutMs: 1_200_000 });
    assert.equal(r.code, 0, `${r.stderr}\n${r.stdout}`);
    console.log(`# arm64 wharf start took ${r.seconds.toFixed(1)} s`);
    const v = await env.docker(['version', '--format', '{{.Server.Arch}} {{.Server.Version}}']);
    assert.equal(v.code, 0, v.stderr);
    assert.match(v.stdout.trim(), /^arm64 \d+\.\d+/);
    const s = JSON.parse((await env.wharf(['status', '--json'])).stdout);
    assert.equal(s.guestArch, 'arm64');
    assert.equal(s.accelerator, 'tcg', 'no hypervisor runs an arm64 guest on an x86-64 host');
    const cmd = fs.readFileSync(`/proc/${qemuProcessesFor(env.home)[0]}/cmdline`, 'utf8').split('\0');
    assert.match(cmd[0]!, /qemu-system-aarch64$/);
    assert.equal(cmd[cmd.indexOf('-machine') + 1], 'virt');
  });

  test('builds and runs a FROM scratch image made from busybox-static:arm64', async () => {
    image = await buildForeignBusyboxImage(env, 'arm64', 'wharf-test/busybox-arm64:1');
    const r = await env.docker(['run', '--rm', image, 'sh', '-c', 'echo hello from $(uname -m)']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'hello from aarch64');
  });

  test('a published port is reachable from the host', async () => {
    const run = await env.docker(['run', '-d', '--name', 'web', '-p', '18481:8080', image, 'httpd', '-f', '-p', '8080', '-h', '/www']);
    assert.equal(run.code, 0, run.stderr);
    const body = await waitFor(async () => {
      const res = await fetch('http://127.0.0.1:18481/');
      return res.ok ? res.text() : undefined;
    }, 120_000, 'the published port');
    assert.equal(body, 'hello from an arm64 container\n');
    assert.equal((await env.docker(['rm', '-f', 'web'])).code, 0);
  });

  test('a 9p bind mount reads and writes both ways, owned by the host user', async () => {
    await assertBindMountBothWays(env, share, image);
  });

  test('an amd64 image runs with --platform linux/amd64 (qemu-x86_64 binfmt handler)', async () => {
    const tag = await buildForeignBusyboxImage(env, 'amd64', 'wharf-test/busybox-amd64:1');
    const r = await env.docker(['run', '--rm', '--platform', 'linux/amd64', tag, 'uname', '-m']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'x86_64');
  });

  test('wharf stop powers off through the virt power key: dockerd stops and the data disk is unmounted', async () => {
    const keep = await env.docker(['run', '--rm', '-v', 'keep:/d', image, 'sh', '-c', 'echo kept > /d/f']);
    assert.equal(keep.code, 0, keep.stderr);
    const r = await env.wharf(['stop'], { timeoutMs: 180_000 });
    assert.equal(r.code, 0, r.stderr);
    await waitFor(async () => (qemuProcessesFor(env.home).length === 0 ? true : undefined), 30_000, 'qemu to exit');
    const log = fs.readFileSync(path.join(env.home, 'logs', 'console.log'), 'utf8');
    assert.match(log, /wharf: power button pressed, shutting down/, 'the guest saw the power key (gpio-keys on the PL061)');
    assert.match(log, /wharf: engine stopped, data disk unmounted/);
    assert.ok(r.seconds < 60, `the guest powered off by itself (QEMU is killed only after 60 s); took ${r.seconds.toFixed(1)} s`);
  });
});
