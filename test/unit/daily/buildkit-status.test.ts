import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BuildProgressAggregator, decodeStatusResponse } from '../../../src-main/core/engine/buildkit-status.js';

/** A minimal protobuf writer, only for building test messages. */
function varint(n: number | bigint): Buffer {
  let v = BigInt(n);
  const out: number[] = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v) b |= 0x80;
    out.push(b);
  } while (v);
  return Buffer.from(out);
}
const key = (no: number, wire: number) => varint((no << 3) | wire);
const str = (no: number, s: string | Buffer) => { const b = Buffer.isBuffer(s) ? s : Buffer.from(s); return Buffer.concat([key(no, 2), varint(b.length), b]); };
const int = (no: number, n: number) => Buffer.concat([key(no, 0), varint(n)]);
const msg = (no: number, body: Buffer) => Buffer.concat([key(no, 2), varint(body.length), body]);
const ts = (ms: number) => Buffer.concat([int(1, Math.floor(ms / 1000)), int(2, (ms % 1000) * 1e6)]);

test('decodes vertexes, statuses, logs and warnings of a StatusResponse', () => {
  const vertex = Buffer.concat([str(1, 'sha256:aa'), str(2, 'sha256:in'), str(3, '[1/2] FROM scratch'), int(4, 1), msg(5, ts(1000)), msg(6, ts(2500)), Buffer.concat([key(9, 5), Buffer.alloc(4)])]);
  const status = Buffer.concat([str(1, 'transferring context'), str(2, 'sha256:aa'), int(4, 300), int(5, 1000)]);
  const log = Buffer.concat([str(1, 'sha256:aa'), int(3, 1), str(4, 'hello\nwor')]);
  const warning = Buffer.concat([str(1, 'sha256:aa'), int(2, 1), str(3, 'careful')]);
  const buf = Buffer.concat([msg(1, vertex), msg(2, status), msg(3, log), msg(4, warning)]);
  const d = decodeStatusResponse(buf);
  assert.deepEqual(d.vertexes, [{ digest: 'sha256:aa', name: '[1/2] FROM scratch', cached: true, started: 1000, completed: 2500 }]);
  assert.deepEqual(d.statuses, [{ id: 'transferring context', vertex: 'sha256:aa', current: 300, total: 1000 }]);
  assert.deepEqual(d.logs, [{ vertex: 'sha256:aa', msg: 'hello\nwor' }]);
  assert.deepEqual(d.warnings, ['careful']);

  const agg = new BuildProgressAggregator('app:1');
  assert.equal(agg.apply({ id: 'moby.buildkit.trace', aux: buf.toString('base64') }), true);
  assert.equal(agg.apply({ id: 'moby.buildkit.trace', aux: msg(3, Buffer.concat([str(1, 'sha256:aa'), str(4, 'ld\n')])).toString('base64') }), true);
  agg.apply({ id: 'moby.image.id', aux: { ID: 'sha256:img' } });
  agg.finish();
  const snap = agg.snapshot();
  assert.equal(snap.imageId, 'sha256:img');
  assert.deepEqual(snap.log, ['hello', 'WARNING: careful', 'world']);
  assert.equal(snap.steps[0]!.current, 300);
  assert.equal(snap.done, true);
  assert.equal(snap.error, undefined);

  const bad = new BuildProgressAggregator(undefined);
  bad.apply({ errorDetail: { message: 'failed to solve: no such file' }, error: 'failed to solve: no such file' });
  assert.equal(bad.snapshot().error, 'failed to solve: no such file');
  assert.equal(bad.apply({ id: 'moby.buildkit.trace', aux: 'not base64 protobuf!!' }), false);
});
