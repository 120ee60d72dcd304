import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WharfTestEnv, waitFor } from '../support/wharf-env.js';
import { buildBusyboxImage } from '../support/test-image.js';
import { follow, lineAfter } from '../support/follow-logs.js';
import type { EngineStatus, SyncedShareStatus } from '../../src-main/core/contract/types.js';

/**
 * Synchronized folders in the real VM: the first copy (and the refusal of a
 * bind mount before it is done), container edits reaching the host, host
 * edits reaching a running container and its inotify watcher, what a
 * container wrote just before `wharf stop`, host edits made while the VM
 * was down, and a `.syncignore` (what it names stays on one side).
 */
const FILES = 2000;
/** share-sync's niceness in the guest (its default, with no wharf.sync_nice). */
const SYNC_NICE = 10;

describe('synchronized folders', { timeout: 30 * 60_000 }, () => {
  const env = new WharfTestEnv('synced');
  const share = fs.mkdtempSync(path.join(os.tmpdir(), 'wharf-synced-'));
  const proj = path.join(share, 'proj');
  let image = '';

  async function syncState(): Promise<SyncedShareStatus | undefined> {
    const r = await env.wharf(['status', '--json']);
    return (JSON.parse(r.stdout) as EngineStatus).syncedShares?.find((s) => s.path === proj);
  }
  const waitReady = () => waitFor(async () => {
    const s = await syncState();
    if (s?.state === 'error') throw new Error(`sync failed: ${s.reason}`);
    return s?.state === 'ready' ? s : undefined;
  }, 600_000, 'the synced folder to be ready');

  before(async () => {
    for (let i = 0; i < FILES; i++) {
      const dir = path.join(proj, 'node_modules', `pkg${Math.floor(i / 50)}`);
      if (i % 50 === 0) fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, `f${i}.js`), `module.exports = ${i};\n`);
    }
    fs.writeFileSync(path.join(proj, 'index.js'), 'v1\n');
    const set = await env.wharf(['set', 'memory=2048', `fileShares=${share}`, `syncedShares=${proj}`]);
    assert.equal(set.code, 0, set.stderr);
    const r = await env.wharf(['start'], { timeoutMs: 900_000 });
    assert.equal(r.code, 0, r.stderr);
  });
  after(async () => {
    await env.docker(['rm', '-f', 'sync-reader', 'sync-watcher']);
    await env.wharf(['stop'], { timeoutMs: 120_000 });
    env.cleanup();
    fs.rmSync(share, { recursive: true, force: true });
  });

  test('a bind mount waits for the first copy; then the container sees the whole tree on the VM disk', async () => {
    const early = await syncState();
    if (early && early.state !== 'ready') {
      // The first copy of 2,000 files takes many seconds under emulation: a container now would see half a tree.
      const r = await env.docker(['run', '--rm', '-v', `${proj}:/w`, 'busybox-not-needed', 'true']);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /synchronized copy is still being made in the VM.*wharf status/);
    } else {
      console.log(`the first copy was done before the first check (${JSON.stringify(early)})`);
    }
    image = await buildBusyboxImage(env);
    const ready = await waitReady();
    console.log(`first sync of ${FILES} files: ${ready.seconds} s (${ready.files} files)`);
    assert.equal(ready.files, FILES + 1);
    const r = await env.docker(['run', '--rm', '-v', `${proj}:/w`, image, 'sh', '-c', 'find /w -type f | wc -l; cat /w/index.js; grep " /w " /proc/mounts']);
    assert.equal(r.code, 0, r.stderr);
    const [count, content, mount] = r.stdout.trim().split('\n');
    assert.equal(Number(count), FILES + 1);
    assert.equal(content, 'v1');
    // The copy lives on the data disk (ext4), not on the virtio-fs share.
    assert.match(mount!, / \/w ext4 /);
  });

  test('container edits and deletions reach the host', async () => {
    const t0 = Date.now();
    const r = await env.docker(['run', '--rm', '-v', `${proj}:/w`, image, 'sh', '-c', 'echo from the container > /w/made.txt && rm /w/node_modules/pkg0/f0.js && mkdir -p /w/dist/a && echo b > /w/dist/a/b.js']);
    assert.equal(r.code, 0, r.stderr);
    await waitFor(async () => (fs.existsSync(path.join(proj, 'dist/a/b.js')) && !fs.existsSync(path.join(proj, 'node_modules/pkg0/f0.js')) ? true : undefined), 30_000, 'the container edits on the host');
    console.log(`container edit -> host: ${Date.now() - t0} ms after docker run started`);
    assert.equal(fs.readFileSync(path.join(proj, 'made.txt'), 'utf8'), 'from the container\n');
    assert.equal(fs.readFileSync(path.join(proj, 'dist/a/b.js'), 'utf8'), 'b\n');
  });

  test('a host edit is read in a running container within seconds', async () => {
    const run = await env.docker(['run', '-d', '--name', 'sync-reader', '-v', `${proj}:/w`, image, 'sh', '-c', 'while :; do cat /w/index.js; sleep 0.1; done']);
    assert.equal(run.code, 0, run.stderr);
    const out = follow(env, 'sync-reader');
    try {
      await lineAfter(out.lines, 0, /^v1$/, 60_000);
      const latencies: number[] = [];
      for (const v of ['v2', 'v3', 'v4']) {
        const t0 = Date.now();
        fs.writeFileSync(path.join(proj, 'index.js'), `${v}\n`);
        latencies.push((await lineAfter(out.lines, t0, new RegExp(`^${v}$`), 20_000)) - t0);
        await new Promise((r) => setTimeout(r, 500));
      }
      console.log(`host edit -> read in the container, synced folder (ms): ${latencies.join(', ')}`);
      // One unison run per burst of edits; under emulation that is about a second.
      assert.ok(Math.min(...latencies) <= 3000, `host edits took ${latencies.join(', ')} ms to show`);
    } finally {
      out.stop();
      await env.docker(['rm', '-f', 'sync-reader']);
    }
  });

  test('the sync runs niced behind the engine and the containers, with inotify limits for large trees', async () => {
    // Field 19 of /proc/PID/stat is the niceness; share-sync's processes (and the unison runs
    // they start) are niced, dockerd is not.
    const r = await env.wharf(['shell', '-c', `for p in /proc/[0-9]*; do
      c=$(tr '\\0' ' ' < $p/cmdline 2>/dev/null)
      case "$c" in */share-sync*) echo "sync $(cut -d' ' -f19 $p/stat)" ;; dockerd*) echo "dockerd $(cut -d' ' -f19 $p/stat)" ;; esac
    done | sort -u`]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n').map((l) => l.trim()).filter(Boolean);
    assert.deepEqual(lines.filter((l) => l.startsWith('sync ')), [`sync ${SYNC_NICE}`], r.stdout);
    assert.deepEqual(lines.filter((l) => l.startsWith('dockerd ')), ['dockerd 0'], r.stdout);
    // A niced watcher reads its queue late: the queue and the watch count must not run out first.
    const limits = await env.wharf(['shell', '-c', 'cat /proc/sys/fs/inotify/max_user_watches /proc/sys/fs/inotify/max_queued_events']);
    assert.deepEqual(limits.stdout.trim().split(/\s+/), ['1048576', '1048576'], limits.stdout);
  });

  test('an inotify watcher in a container gets real events for host edits', async () => {
    const run = await env.docker(['run', '-d', '--name', 'sync-watcher', '-v', `${proj}:/w`, image, 'inotify-watch', '/w']);
    assert.equal(run.code, 0, run.stderr);
    const out = follow(env, 'sync-watcher');
    try {
      await lineAfter(out.lines, 0, /watching/, 60_000);
      const t0 = Date.now();
      fs.writeFileSync(path.join(proj, 'watched.js'), 'new\n');
      const at = await lineAfter(out.lines, t0, /\twatched\.js$/, 20_000);
      console.log(`host edit -> inotify event in the container, synced folder: ${at - t0} ms (${out.lines.filter((l) => l.at >= t0).map((l) => l.text.replace('\t', ' ')).join('; ')})`);
    } finally {
      out.stop();
      await env.docker(['rm', '-f', 'sync-watcher']);
    }
  });

  test('.syncignore keeps what it names on one side, is read again when it changes, and what it stops ignoring syncs', async () => {
    const inContainer = async (script: string) => {
      const r = await env.docker(['run', '--rm', '-v', `${proj}:/w`, image, 'sh', '-c', script]);
      assert.equal(r.code, 0, r.stderr);
      return r.stdout;
    };
    const onHost = (p: string) => fs.existsSync(path.join(proj, p));
    const t0 = Date.now();
    fs.writeFileSync(path.join(proj, '.syncignore'), '# built in the container\ncache/\n*.tmp\n');
    await waitFor(async () => ((await inContainer('cat /w/.syncignore 2>/dev/null')).includes('*.tmp') ? true : undefined), 30_000, '.syncignore in the copy');
    console.log(`.syncignore written -> in the copy: ${Date.now() - t0} ms`);
    await inContainer('mkdir -p /w/cache/d && echo c > /w/cache/d/big.bin && echo t > /w/x.tmp && echo k > /w/kept.txt');
    fs.mkdirSync(path.join(proj, 'cache'), { recursive: true });
    fs.writeFileSync(path.join(proj, 'cache', 'host-only.txt'), 'h\n');
    fs.writeFileSync(path.join(proj, 'kept2.txt'), 'k2\n');
    await waitFor(async () => (onHost('kept.txt') ? true : undefined), 30_000, 'kept.txt on the host');
    await waitFor(async () => ((await inContainer('cat /w/kept2.txt 2>/dev/null')) === 'k2\n' ? true : undefined), 30_000, 'kept2.txt in the copy');
    // Both syncs ran after the ignored writes; give the queue one more burst's time anyway.
    await new Promise((r) => setTimeout(r, 3000));
    assert.equal(onHost('cache/d/big.bin'), false, 'an ignored folder written in the container stays in the VM');
    assert.equal(onHost('x.tmp'), false, 'an ignored file written in the container stays in the VM');
    assert.equal((await inContainer('ls /w/cache/host-only.txt 2>&1 || true')).includes('No such file'), true, 'an ignored host file stays on the host');

    // No longer ignoring *.tmp: the whole folder is looked at once and x.tmp reaches the host.
    const t1 = Date.now();
    fs.writeFileSync(path.join(proj, '.syncignore'), 'cache/\n');
    await waitFor(async () => (onHost('x.tmp') ? true : undefined), 60_000, 'x.tmp on the host once *.tmp is no longer ignored');
    console.log(`.syncignore changed -> a no-longer-ignored file on the host: ${Date.now() - t1} ms`);
    assert.equal(fs.readFileSync(path.join(proj, 'x.tmp'), 'utf8'), 't\n');
    assert.equal(onHost('cache/d/big.bin'), false);
  });

  test('what a container wrote just before stop is on the host; host edits made while stopped reach the copy', async () => {
    const r = await env.docker(['run', '--rm', '-v', `${proj}:/w`, image, 'sh', '-c', 'echo last words > /w/last.txt']);
    assert.equal(r.code, 0, r.stderr);
    const stop = await env.wharf(['stop'], { timeoutMs: 180_000 });
    assert.equal(stop.code, 0, stop.stderr);
    assert.equal(fs.readFileSync(path.join(proj, 'last.txt'), 'utf8'), 'last words\n');
    fs.writeFileSync(path.join(proj, 'index.js'), 'while stopped\n');
    fs.rmSync(path.join(proj, 'made.txt'));
    const start = await env.wharf(['start'], { timeoutMs: 900_000 });
    assert.equal(start.code, 0, start.stderr);
    const ready = await waitReady();
    console.log(`sync after a restart (archive kept on the data disk): ${ready.seconds} s`);
    const c = await env.docker(['run', '--rm', '-v', `${proj}:/w`, image, 'sh', '-c', 'cat /w/index.js; ls /w/made.txt 2>&1; cat /w/last.txt']);
    assert.equal(c.code, 0, c.stderr);
    assert.match(c.stdout, /^while stopped\n.*No such file.*\nlast words\n$/s);
  });
});
