import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WharfTestEnv, waitFor } from '../support/wharf-env.js';
import { assertBindMountBothWays } from '../support/bind-mount-check.js';
import { buildBusyboxImage } from '../support/test-image.js';
import { buildForeignBusyboxImage } from '../support/foreign-busybox.js';
import { follow, lineAfter } from '../support/follow-logs.js';

/**
 * On the x86-64 guest: shared folders over 9p (what macOS QEMU hosts and Linux hosts
 * without virtiofsd use), and arm64 images run through the guest's binfmt_misc handler.
 */
describe('9p shared folders and arm64 images on the x86-64 guest', { timeout: 30 * 60_000 }, () => {
  const env = new WharfTestEnv('ninep');
  const share = fs.mkdtempSync(path.join(os.tmpdir(), 'wharf-9p-share-'));
  let image = '';
  after(async () => {
    await env.docker(['rm', '-f', 'watcher9p']);
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
    image = await buildBusyboxImage(env);
    await assertBindMountBothWays(env, share, image, 'mkdir -p /src/d/e && echo deep > /src/d/e/f');
    assert.equal(fs.readFileSync(path.join(share, 'd/e/f'), 'utf8'), 'deep\n');
    // A host change shows in the guest at once (cache=mmap, no stale page cache).
    fs.writeFileSync(path.join(share, 'from-host.txt'), 'changed on the host\n');
    const again = await env.docker(['run', '--rm', '-v', `${share}:/src`, image, 'cat', '/src/from-host.txt']);
    assert.equal(again.stdout, 'changed on the host\n', again.stderr);
  });

  test('inotify watchers in a container see host edits and new files on a 9p share', async () => {
    // 9p, like virtio-fs, raises no guest inotify event for a host edit: the host's replay
    // (wharf.events, a same-mode chmod in the guest) is what the watcher sees.
    const app = path.join(share, 'app');
    fs.mkdirSync(app);
    fs.writeFileSync(path.join(app, 'index.js'), 'v1\n');
    const run = await env.docker(['run', '-d', '--name', 'watcher9p', '-v', `${app}:/app`, image, 'inotify-watch', '/app']);
    assert.equal(run.code, 0, run.stderr);
    const out = follow(env, 'watcher9p');
    try {
      await waitFor(async () => {
        fs.writeFileSync(path.join(app, 'probe.txt'), String(Date.now()));
        await new Promise((r) => setTimeout(r, 500));
        return out.lines.some((l) => /\tprobe\.txt$/.test(l.text)) ? true : undefined;
      }, 120_000, 'the first event from the host on the 9p share');
      const latencies: number[] = [];
      for (const name of ['index.js', 'new-file.js']) {
        const t0 = Date.now();
        fs.writeFileSync(path.join(app, name), `changed at ${t0}\n`);
        latencies.push((await lineAfter(out.lines, t0, new RegExp(`\\t${name.replace('.', '\\.')}$`), 10_000)) - t0);
      }
      console.log(`9p: host edit -> inotify event in the container (ms): edit ${latencies[0]}, new file ${latencies[1]}`);
    } finally {
      out.stop();
    }
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
