import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { waitForExit } from '../../../src-main/core/vm/process-util.js';

/**
 * After the host wakes from sleep, NTP steps the wall clock forward by the
 * time slept. A wait measured with Date.now() then ends at once, and stop()
 * SIGKILLs a guest that was still powering off cleanly. Waits must use a
 * monotonic clock; the wall clock here jumps two hours on every read.
 */
test('waitForExit keeps waiting when the wall clock jumps forward (host wake)', async (t) => {
  const child = spawn('sleep', ['0.6'], { stdio: 'ignore' });
  await new Promise((r) => child.once('spawn', r));
  let wall = Date.now();
  t.mock.method(Date, 'now', () => (wall += 2 * 3600_000));
  const started = performance.now();
  const exited = await waitForExit(child.pid!, 5000);
  const waited = performance.now() - started;
  t.mock.restoreAll();
  assert.equal(exited, true, 'the wait ended before the process exited: it followed the wall clock');
  assert.ok(waited >= 400, `waited only ${waited} ms`);
});

test('waitForExit still times out on the monotonic clock when the wall clock goes back', async (t) => {
  const child = spawn('sleep', ['5'], { stdio: 'ignore' });
  await new Promise((r) => child.once('spawn', r));
  let wall = Date.now();
  t.mock.method(Date, 'now', () => (wall -= 3600_000));
  const started = performance.now();
  const exited = await waitForExit(child.pid!, 500);
  const waited = performance.now() - started;
  t.mock.restoreAll();
  child.kill('SIGKILL');
  assert.equal(exited, false);
  assert.ok(waited < 2000, `a wall clock going back stretched a 500 ms wait to ${waited} ms`);
});
