import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { freeLoopbackPort } from '../../src-main/core/util/free-port.js';
import { WharfTestEnv, buildFaultImage, figure, now, qemuProcessesFor, waitFor, type Suite } from './support.js';
import { loadAndFuzz } from './load-and-fuzz.js';
import { engineFaults } from './engine-faults.js';

/**
 * The fault and load suite (README.md): one VM for every case, since a boot
 * under TCG costs minutes. Load and fuzz first (they need a healthy engine and
 * leave it so), then the faults that kill, stop, fill and step it. The clean
 * stop at the end is a case of its own: the data disk must check clean.
 */
describe('fault and load suite: the engine survives load, bad input, kills, hangs, clock jumps and a full disk', { timeout: 40 * 60_000 }, () => {
  const suite: Suite = { env: new WharfTestEnv('faults'), image: '', webPort: 0 };
  const { env } = suite;

  before(async () => {
    const r = await env.wharf(['start', '--cpus', '2', '--memory', '2048', '--disk', '8'], { timeoutMs: 900_000 });
    assert.equal(r.code, 0, `wharf start failed:\n${r.stderr}\n${r.stdout}`);
    suite.image = await buildFaultImage(env);
    suite.webPort = await freeLoopbackPort();
    const web = await env.docker(['run', '-d', '--name', 'web', '-p', `127.0.0.1:${suite.webPort}:8080`, suite.image, 'httpd', '-f', '-p', '8080', '-h', '/www']);
    assert.equal(web.code, 0, web.stderr);
    await waitFor(async () => ((await fetch(`http://127.0.0.1:${suite.webPort}/`)).ok ? true : undefined), 60_000, 'the published port');
  });

  // Whatever failed, nothing of this home outlives the suite.
  after(() => env.cleanup());

  describe('load and fuzz: the core serves many clients and bad input without leaking or dying', () => loadAndFuzz(suite));
  describe('faults: kills, a hang, a clock jump, a full disk and racing writers lose nothing', () => engineFaults(suite));

  test('clean stop: after wharf stop the real data disk checks clean (e2fsck -fn exits 0)', async () => {
    const disk = path.join(env.home, 'disks', 'data.img');
    const t0 = now();
    const stop = await env.wharf(['stop'], { timeoutMs: 180_000 });
    assert.equal(stop.code, 0, `wharf stop:\n${stop.stderr}${stop.stdout}`);
    const stopMs = now() - t0;
    assert.deepEqual(qemuProcessesFor(env.home), [], 'QEMU is gone');
    const fsck = spawnSync('e2fsck', ['-fn', disk], { encoding: 'utf8' });
    figure('clean-stop-fsck', { stop_ms: stopMs, e2fsck_exit: fsck.status ?? -1, disk_bytes_allocated: fs.statSync(disk).blocks * 512 });
    assert.equal(fsck.status, 0, `e2fsck -fn on the data disk after wharf stop:\n${fsck.stdout}${fsck.stderr}`);
  });
});
