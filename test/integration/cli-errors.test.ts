import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { WharfTestEnv, qemuProcessesFor, waitFor } from '../support/wharf-env.js';

/** Bad input: a clear message, a non-zero exit, and never a half-started VM. */
describe('wharf start refuses bad input', { timeout: 5 * 60_000 }, () => {
  const envs: WharfTestEnv[] = [];
  const fresh = (name: string, extra: NodeJS.ProcessEnv = {}) => {
    const e = new WharfTestEnv(name, extra);
    envs.push(e);
    return e;
  };
  after(() => {
    for (const e of envs) {
      e.cleanup();
      assert.deepEqual(qemuProcessesFor(e.home), []);
    }
  });

  const expectRefused = async (env: WharfTestEnv, args: string[], pattern: RegExp) => {
    const r = await env.wharf(args);
    assert.notEqual(r.code, 0, `expected a failure: ${r.stdout}`);
    assert.match(r.stderr, pattern);
    assert.deepEqual(qemuProcessesFor(env.home), [], 'no VM may be left behind');
    assert.equal(fs.existsSync(env.socket), false);
  };

  test('unknown flags', async () => {
    const env = fresh('flags');
    await expectRefused(env, ['start', '--cpu', '2'], /Unknown option '--cpu'.*wharf help/s);
  });

  test('more CPUs than the host has', async () => {
    const env = fresh('cpus');
    await expectRefused(env, ['start', '--cpus', String(os.cpus().length + 1)], /cpus.*this host has \d+ CPU/i);
  });

  test('too little memory', async () => {
    await expectRefused(fresh('mem'), ['start', '--memory', '64'], /memory/i);
  });

  test('qemu missing says how to install it', async () => {
    const env = fresh('noqemu', { PATH: '/nonexistent', WHARF_QEMU: '' });
    // The CLI itself needs node, which we call by absolute path.
    await expectRefused(env, ['start'], /QEMU .*not found.*apt-get install qemu-system-x86/s);
  });

  test('VM assets missing says to run npm run vm:build', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'wharf-emptycache-'));
    await expectRefused(fresh('noassets', { WHARF_CACHE: empty }), ['start'], /npm run vm:build/);
  });

  test('a QEMU that fails to launch leaves no virtiofsd behind, so the next start fails the same way', async () => {
    const env = fresh('qemufails');
    const shared = fs.mkdtempSync(path.join(os.tmpdir(), 'wharf-qemufails-share-'));
    const qemu = path.join(env.home, '..', 'qemu-that-fails');
    // Answers the version probe like QEMU, then fails where the VM would launch.
    fs.writeFileSync(qemu, '#!/bin/sh\ncase "$1" in --version) exec qemu-system-x86_64 "$@" ;; esac\necho "simulated launch failure" >&2\nexit 1\n', { mode: 0o755 });
    assert.equal((await env.wharf(['set', `fileShares=${shared}`])).code, 0);
    // The headless core `set` spawned must leave first: a start reuses a running core, with its environment.
    await waitFor(async () => (fs.existsSync(path.join(env.home, 'run', 'control.sock')) ? undefined : true), 30_000, 'the headless core to exit');
    const virtiofsds = () => { try { return execFileSync('pgrep', ['-f', `virtiofsd.*${env.home}`], { encoding: 'utf8' }).trim(); } catch { return ''; } };
    for (let i = 0; i < 2; i++) {
      await waitFor(async () => (fs.existsSync(path.join(env.home, 'run', 'control.sock')) ? undefined : true), 30_000, 'the headless core to exit');
      const r = await env.wharf(['start'], { env: { WHARF_QEMU: qemu } });
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /QEMU failed to start: .*simulated launch failure/, `start ${i + 1}`);
      assert.equal(virtiofsds(), '', `start ${i + 1} left a virtiofsd waiting for a QEMU that never came`);
      assert.deepEqual(qemuProcessesFor(env.home), []);
    }
    fs.rmSync(shared, { recursive: true, force: true });
  });

  test('a corrupt data disk is refused before boot and left untouched', async () => {
    const env = fresh('corrupt');
    fs.mkdirSync(path.join(env.home, 'disks'), { recursive: true });
    const disk = path.join(env.home, 'disks', 'data.img');
    fs.writeFileSync(disk, 'this is not a disk image');
    await expectRefused(env, ['start'], /data disk .*damaged/);
    assert.equal(fs.readFileSync(disk, 'utf8'), 'this is not a disk image');
  });
});
