import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JsonLineSplitter, PullProgressAggregator } from '../../../src-main/core/engine/pull-progress.js';

test('aggregates per-layer progress in first-seen order', () => {
  const a = new PullProgressAggregator('busybox:latest');
  assert.equal(a.apply({ status: 'Pulling from library/busybox', id: 'latest' }), false);
  a.apply({ status: 'Pulling fs layer', id: 'aaaaaaaaaaaa' });
  a.apply({ status: 'Pulling fs layer', id: 'bbbbbbbbbbbb' });
  a.apply({ status: 'Downloading', id: 'bbbbbbbbbbbb', progressDetail: { current: 10, total: 100 } });
  a.apply({ status: 'Downloading', id: 'aaaaaaaaaaaa', progressDetail: { current: 50, total: 200 } });
  a.apply({ status: 'Download complete', id: 'aaaaaaaaaaaa' });
  a.apply({ status: 'Extracting', id: 'aaaaaaaaaaaa', progressDetail: { current: 20, total: 200 } });
  a.apply({ status: 'Already exists', id: 'cccccccccccc' });
  const p = a.snapshot();
  assert.equal(p.ref, 'busybox:latest');
  assert.equal(p.done, false);
  assert.deepEqual(p.layers, [
    { id: 'aaaaaaaaaaaa', status: 'Extracting', current: 20, total: 200 },
    { id: 'bbbbbbbbbbbb', status: 'Downloading', current: 10, total: 100 },
    { id: 'cccccccccccc', status: 'Already exists' },
  ]);
  a.apply({ status: 'Pull complete', id: 'aaaaaaaaaaaa', progressDetail: {} });
  a.apply({ status: 'Digest: sha256:abc' });
  a.apply({ status: 'Status: Downloaded newer image for busybox:latest' });
  a.finish();
  const done = a.snapshot();
  assert.equal(done.done, true);
  assert.equal(done.error, undefined);
  assert.deepEqual(done.layers[0], { id: 'aaaaaaaaaaaa', status: 'Pull complete', current: 200, total: 200 });
  assert.deepEqual(a.notes.slice(-2), ['Digest: sha256:abc', 'Status: Downloaded newer image for busybox:latest']);
});

test('an error message ends the pull with that error; finish keeps the first error', () => {
  const a = new PullProgressAggregator('nope:1');
  a.apply({ errorDetail: { message: 'manifest unknown' }, error: 'manifest unknown' });
  a.finish('stream closed');
  assert.deepEqual(a.snapshot(), { ref: 'nope:1', layers: [], done: true, error: 'manifest unknown' });
  assert.equal(a.failed, true);
});

test('snapshots are copies', () => {
  const a = new PullProgressAggregator('x');
  a.apply({ status: 'Downloading', id: 'dddddddddddd', progressDetail: { current: 1, total: 2 } });
  const s = a.snapshot();
  a.apply({ status: 'Downloading', id: 'dddddddddddd', progressDetail: { current: 2, total: 2 } });
  assert.equal(s.layers[0]!.current, 1);
});

test('JSON lines split anywhere, garbage skipped', () => {
  const got: unknown[] = [];
  const s = new JsonLineSplitter((v) => got.push(v));
  s.write('{"a":1}\n{"b"');
  s.write(':2}\r\nnot json\n\n{"c":');
  s.write('3}');
  assert.deepEqual(got, [{ a: 1 }, { b: 2 }]);
  s.end();
  assert.deepEqual(got, [{ a: 1 }, { b: 2 }, { c: 3 }]);
});
