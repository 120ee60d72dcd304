import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DockerStreamDemuxer, demuxAll } from '../../../src-main/core/engine/demux.js';

function frame(stream: number, payload: Buffer | string): Buffer {
  const body = Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
  const h = Buffer.alloc(8);
  h[0] = stream;
  h.writeUInt32BE(body.length, 4);
  return Buffer.concat([h, body]);
}

test('demuxes stdout and stderr frames in order', () => {
  assert.equal(demuxAll(Buffer.concat([frame(1, 'out1\n'), frame(2, 'err1\n'), frame(1, 'out2\n')])), 'out1\nerr1\nout2\n');
});

test('accepts chunks cut at every byte, including inside headers and UTF-8 sequences', () => {
  const euro = Buffer.from('€uro ✓\n');
  const all = Buffer.concat([frame(1, euro.subarray(0, 2)), frame(1, euro.subarray(2)), frame(2, 'é\n')]);
  const parts: Array<[string, string]> = [];
  const d = new DockerStreamDemuxer((t, ch) => parts.push([t, ch]));
  for (let i = 0; i < all.length; i++) d.write(all.subarray(i, i + 1));
  d.end();
  assert.equal(parts.map((p) => p[0]).join(''), '€uro ✓\né\n');
  const by = (ch: string) => parts.filter((p) => p[1] === ch).map((p) => p[0]).join('');
  assert.equal(by('stdout'), '€uro ✓\n');
  assert.equal(by('stderr'), 'é\n');
});

test('passes payload through before a large frame is complete', () => {
  const parts: string[] = [];
  const d = new DockerStreamDemuxer((t) => parts.push(t));
  const big = frame(1, 'x'.repeat(100_000));
  d.write(big.subarray(0, 1008));
  assert.equal(parts.join('').length, 1000);
});
