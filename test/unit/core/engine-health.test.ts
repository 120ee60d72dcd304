import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EngineHealth } from '../../../src-main/core/engine-health.js';
import { diskNotice } from '../../../src-main/core/disk-notice.js';

const tick = () => new Promise((r) => setTimeout(r, 15));

test('engine health: silent past the limit reports not answering, and the first answer clears it', async () => {
  let now = 0;
  let answer = true;
  const changes: boolean[] = [];
  const h = new EngineHealth({
    ping: async () => { if (!answer) throw new Error('no'); },
    onChange: (a) => changes.push(a),
    intervalMs: 5, unhealthyAfterMs: 1000, now: () => now,
  });
  h.start();
  await tick();
  assert.equal(h.isAnswering, true);
  answer = false;
  now = 500;
  await tick();
  assert.equal(h.isAnswering, true, 'half the limit is not enough');
  now = 1200;
  await tick();
  assert.equal(h.isAnswering, false);
  assert.ok(h.silentMs >= 1000);
  answer = true;
  await tick();
  assert.equal(h.isAnswering, true);
  assert.deepEqual(changes, [false, true]);
  h.stop();
});

test('engine health: a ping that never settles counts as silence (bounded by its timeout)', async () => {
  let now = 0;
  const changes: boolean[] = [];
  const h = new EngineHealth({ ping: () => new Promise(() => undefined), onChange: (a) => changes.push(a), intervalMs: 5, pingTimeoutMs: 10, unhealthyAfterMs: 100, now: () => now });
  h.start();
  now = 200;
  await new Promise((r) => setTimeout(r, 700));
  assert.deepEqual(changes, [false]);
  h.stop();
  assert.deepEqual(changes, [false, true], 'stopping clears the state');
});

test('disk notice: full says what to do, ok clears it', () => {
  const n = diskNotice({ kind: 'disk', full: true, availBytes: 10 * 1024 ** 2, sizeBytes: 8 * 1024 ** 3 });
  assert.match(n!, /data disk is full \(10 MiB free of 8 GiB\)/);
  assert.match(n!, /docker system prune/);
  assert.equal(diskNotice({ kind: 'disk', full: false, availBytes: 1, sizeBytes: 2 }), undefined);
});
