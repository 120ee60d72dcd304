import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WharfTestEnv } from '../support/wharf-env.js';
import { buildBusyboxImage } from '../support/test-image.js';
import { buildForeignBusyboxImage } from '../support/foreign-busybox.js';

/**
 * On the x86-64 guest: shared folders over 9p (what macOS QEMU hosts and Linux hosts
 * without virtiofsd use), and arm64 images run through the guest's binfmt_misc handler.
 */
describe('9p shared folders and arm64 images on the x86-64 guest', { timeout: 30 * 60_000 }, () => {
  const env = new WharfTestEnv('ninep');
  const share = fs.mkdtempSync(path.join(os.tmpdir(), 'wharf-9p-share-'));
  after(async () => {
    await env.wharf(['stop'], { timeoutMs: 120_000 });
    env.cleanup();
  });

  test('fileSharing=9p starts the VM and status says 9p is in use', async () => {
    fs.writeFileSync(path.join(share, 'from-host.txt'), 'written on the host\n');
    assert.equal((await env.wharf(['set', 'fileSharing=9p', `fileShares=${share}`, 'cpus=1', 'memory=1024'])).code, 0);
    const r = await env.wharf(['start'], { timeoutMs: 900_000 });
    assert.equal(r.code, 0, `${r.stderr}\n${r.stdout}`);
    assert.match(r.stdout, /File sharing: 9p \(fileSharing is set to 9p\.\)/);
    const s = JSON.parse((await env.wharf(['status', '--json'])).stdout);
    assert.equal(s.fileSharing.mechanism, '9p');
    assert.equal(s.guestArch, 'amd64');
    const mounts = await env.wharf(['shell', '-c', `grep ' ${share} ' /proc/mounts`]);
    assert.match(mounts.stdout, / 9p .*trans=virtio/, `the share is a 9p mount: ${mounts.stdout}`);
  });

  test('a bind mount reads and writes both ways, owned by the host user', async () => {
    const image = await buildBusyboxImage(env);
    const r = await env.docker(['run', '--rm', '-v', `${share}:/src`, image, 'sh', '-c', 'cat /src/from-host.txt && echo made in the container > /src/from-container.txt && mkdir -p /src/d/e && echo deep > /src/d/e/f']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'written on the host\n');
    const made = path.join(share, 'from-container.txt');
    assert.equal(fs.readFileSync(made, 'utf8'), 'made in the container\n');
    assert.equal(fs.statSync(made).uid, os.userInfo().uid);
    assert.equal(fs.readFileSync(path.join(share, 'd/e/f'), 'utf8'), 'deep\n');
    // A host change shows in the guest at once (cache=mmap, no stale page cache).
    fs.writeFileSync(path.join(share, 'from-host.txt'), 'changed on the host\n');
    const again = await env.docker(['run', '--rm', '-v', `${share}:/src`, image, 'cat', '/src/from-host.txt']);
    assert.equal(again.stdout, 'changed on the host\n', again.stderr);
  });

  test('an arm64 image (Debian busybox-static:arm64, FROM scratch) runs with --platform linux/arm64', async () => {
    const tag = await buildForeignBusyboxImage(env, 'arm64', 'wharf-test/busybox-arm64:1');
    const arch = await env.docker(['image', 'inspect', '--format', '{{.Architecture}}', tag]);
    assert.equal(arch.stdout.trim(), 'arm64');
    const r = await env.docker(['run', '--rm', '--platform', 'linux/arm64', tag, 'sh', '-c', 'echo hello from $(uname -m)']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'hello from aarch64');
    const reg = await env.wharf(['shell', '-c', 'cat /proc/sys/fs/binfmt_misc/qemu-aarch64']);
    assert.match(reg.stdout, /flags: .*F/, 'registered with the F flag (interpreter opened at registration)');
  });
});
