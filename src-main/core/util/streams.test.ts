import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import type { EventMap } from '../contract/events.js';
import { UserError } from '../errors.js';
import { EventBus } from './event-bus.js';
import { CORE_OWNER, StreamRegistry, currentStreamOwner, feedText, pipeReadable, runAsStreamOwner } from './streams.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Waits until `cond` holds (these tests also run on a loaded machine); fails after 5 s. */
async function until(cond: () => boolean, what = 'condition'): Promise<void> {
  for (const t0 = Date.now(); !cond();) {
    if (Date.now() - t0 > 5000) throw new Error(`timed out waiting for ${what}`);
    await sleep(2);
  }
}

function recorder(bus: EventBus) {
  const data = new Map<string, string>();
  const ends: Array<EventMap['stream.end']> = [];
  const order: string[] = [];
  bus.on('stream.data', (p) => { data.set(p.streamId, (data.get(p.streamId) ?? '') + p.data); order.push(`data:${p.streamId}`); });
  bus.on('stream.end', (p) => { ends.push(p); order.push(`end:${p.streamId}`); });
  return { data, ends, order };
}

test('ids are unique and opaque; output arrives asynchronously, then one end', async () => {
  const bus = new EventBus();
  const rec = recorder(bus);
  const reg = new StreamRegistry(bus);
  const a = reg.open({ kind: 'logs' });
  const b = reg.open({ kind: 'logs' });
  assert.notEqual(a.id, b.id);
  assert.match(a.id, /^s_[A-Za-z0-9_-]{16}$/);
  assert.equal(a.owner, CORE_OWNER);
  a.push('hello ');
  a.push('world');
  assert.equal(rec.data.size, 0, 'nothing is emitted synchronously (the caller gets the id first)');
  a.end();
  a.push('ignored');
  await until(() => rec.ends.length === 1, 'end');
  assert.equal(rec.data.get(a.id), 'hello world');
  assert.deepEqual(rec.order, [`data:${a.id}`, `end:${a.id}`]);
  assert.equal(reg.has(a.id), false);
  b.end('boom');
  await until(() => rec.ends.length === 2, 'second end');
  assert.deepEqual(rec.ends[1], { streamId: b.id, error: 'boom' });
});

test('write/resize go to the handlers; close disposes once and emits end', async () => {
  const bus = new EventBus();
  const rec = recorder(bus);
  const reg = new StreamRegistry(bus);
  const written: string[] = [];
  const sizes: Array<[number, number]> = [];
  let disposed = 0;
  const s = reg.open({ kind: 'exec', write: (d) => { written.push(d); }, resize: (c, r) => { sizes.push([c, r]); }, dispose: () => { disposed++; } });
  await reg.write(s.id, 'ls\n');
  await reg.resize(s.id, 120, 40);
  assert.deepEqual(written, ['ls\n']);
  assert.deepEqual(sizes, [[120, 40]]);
  s.push('queued output is discarded on close');
  await reg.close(s.id);
  await reg.close(s.id); // idempotent
  assert.equal(disposed, 1);
  assert.deepEqual(rec.ends, [{ streamId: s.id }]);
  await assert.rejects(reg.write(s.id, 'x'), (e: Error) => e instanceof UserError && /closed or does not exist/.test(e.message));
  const ro = reg.open({ kind: 'logs' });
  await assert.rejects(reg.write(ro.id, 'x'), /does not accept input/);
  await reg.resize(ro.id, 10, 10); // no-op for non-terminals
  const bad = reg.open({ kind: 'exec', write: () => { throw new Error('EPIPE'); } });
  await assert.rejects(reg.write(bad.id, 'x'), (e: Error) => e instanceof UserError && /EPIPE/.test(e.message));
});

test('owners: streams belong to the calling client; only it may use them; disconnect closes them', async () => {
  const bus = new EventBus();
  const rec = recorder(bus);
  const reg = new StreamRegistry(bus);
  assert.equal(currentStreamOwner(), undefined);
  const disposed: string[] = [];
  const a1 = await runAsStreamOwner('A', async () => { await sleep(1); return reg.open({ kind: 'exec', write: () => {}, dispose: () => disposed.push('a1') }); });
  const a2 = runAsStreamOwner('A', () => reg.open({ kind: 'logs', dispose: () => disposed.push('a2') }));
  const b1 = runAsStreamOwner('B', () => reg.open({ kind: 'logs', dispose: () => disposed.push('b1') }));
  assert.equal(a1.owner, 'A');
  assert.equal(b1.owner, 'B');

  await assert.rejects(runAsStreamOwner('B', () => reg.write(a1.id, 'rm -rf /\n')), /closed or does not exist/);
  await assert.rejects(runAsStreamOwner('B', () => reg.close(a1.id)), /closed or does not exist/);
  await runAsStreamOwner('A', () => reg.write(a1.id, 'ok'));
  await reg.write(a1.id, 'core may'); // core code runs outside any owner

  assert.equal(reg.closeOwner('A'), 2);
  assert.deepEqual(disposed.sort(), ['a1', 'a2']);
  assert.deepEqual(rec.ends.map((e) => e.streamId).sort(), [a1.id, a2.id].sort());
  assert.equal(reg.has(b1.id), true);
  assert.equal(reg.closeOwner('A'), 0);
  reg.closeAll('engine stopped');
  assert.deepEqual(rec.ends.at(-1), { streamId: b1.id, error: 'engine stopped' });
});

test('stream count limits per owner and in total', () => {
  const reg = new StreamRegistry(new EventBus(), { maxStreams: 3, maxStreamsPerOwner: 2 });
  runAsStreamOwner('A', () => { reg.open({ kind: 'x' }); reg.open({ kind: 'x' }); });
  assert.throws(() => runAsStreamOwner('A', () => reg.open({ kind: 'x' })), (e: Error) => e instanceof UserError && /Too many open streams/.test(e.message));
  reg.open({ kind: 'x', owner: 'B' });
  assert.throws(() => reg.open({ kind: 'x', owner: 'C' }), /Too many open streams \(3\)/);
});

test('backlog is bounded: producer told to pause at the high-water mark, excess dropped with a notice', async () => {
  const bus = new EventBus();
  const rec = recorder(bus);
  const reg = new StreamRegistry(bus, { maxCharsPerSecond: 1000, burstChars: 100, highWaterMark: 500, maxBacklog: 1000, flushIntervalMs: 10 });
  const s = reg.open({ kind: 'logs' });
  const results: boolean[] = [];
  for (let i = 0; i < 30; i++) results.push(s.push('x'.repeat(100)));
  assert.equal(results[0], true);
  assert.equal(results.indexOf(false), 4, 'false once 500 characters are queued');
  assert.ok(results.slice(4).every((r) => r === false));
  const info = reg.list()[0]!;
  assert.equal(info.backlog, 1000, 'never more than maxBacklog queued');
  assert.equal(info.dropped, 2000);
  let drained = false;
  s.onDrain(() => { drained = true; });
  const t0 = Date.now();
  s.end();
  await sleep(100);
  const sent = rec.data.get(s.id) ?? '';
  const bound = 100 + ((Date.now() - t0) * 1000) / 1000; // burst + rate × elapsed
  assert.ok(sent.length <= bound + 2, `rate-limited: sent ${sent.length}, at most ${bound} allowed`);
  await until(() => rec.ends.length === 1, 'end after draining');
  const all = rec.data.get(s.id) ?? '';
  assert.equal(drained, true);
  assert.equal(all.replace(/\r\n\[wharf: .*\]\r\n/, '').length, 1000);
  assert.match(all, /\[wharf: 2000 characters of output were dropped because the client could not keep up\]\r\n$/);
  assert.deepEqual(rec.ends, [{ streamId: s.id }]);
});

test('a fast stream does not delay a quiet one', async () => {
  const bus = new EventBus();
  const rec = recorder(bus);
  const reg = new StreamRegistry(bus, { maxCharsPerSecond: 1000, burstChars: 50, flushIntervalMs: 10 });
  const noisy = reg.open({ kind: 'logs' });
  const quiet = reg.open({ kind: 'exec' });
  noisy.push('n'.repeat(5000));
  await sleep(15);
  quiet.push('$ ');
  await until(() => rec.data.get(quiet.id) === '$ ', 'quiet output');
  // The noisy stream needs ~5 s to drain at 1000/s; the quiet one was not queued behind it.
  assert.ok(reg.list().find((i) => i.id === noisy.id)!.backlog > 0);
  reg.closeAll();
});

for (const burstChars of [1, 3]) {
  test(`rate cuts never split a surrogate pair, nor stall at low rates (burst ${burstChars})`, async () => {
    const bus = new EventBus();
    const chunks: string[] = [];
    bus.on('stream.data', (p) => chunks.push(p.data));
    const reg = new StreamRegistry(bus, { maxCharsPerSecond: 100, burstChars, flushIntervalMs: 5 });
    const s = reg.open({ kind: 'logs' });
    s.push('ab😀😀😀');
    let ended = false;
    bus.on('stream.end', () => { ended = true; });
    s.end();
    await until(() => ended, 'end');
    assert.equal(chunks.join(''), 'ab😀😀😀');
    for (const c of chunks) assert.ok(!/[\ud800-\udbff]$/.test(c), `chunk ${JSON.stringify(c)} ends inside a pair`);
  });
}

test('pipeReadable: pauses the source under backpressure, resumes on drain, ends with the source', async () => {
  const bus = new EventBus();
  const rec = recorder(bus);
  const reg = new StreamRegistry(bus, { maxCharsPerSecond: 20_000, burstChars: 1000, highWaterMark: 2000, maxBacklog: 4000, flushIntervalMs: 5 });
  const src = new PassThrough();
  const s = reg.open({ kind: 'logs', dispose: () => src.destroy() });
  pipeReadable(s, src);
  let paused = false;
  src.on('pause', () => { paused = true; });
  const euro = Buffer.from('€');
  src.write(euro.subarray(0, 1));
  src.write(Buffer.concat([euro.subarray(1), Buffer.from('y'.repeat(2999))]));
  await until(() => paused, 'the source to pause');
  src.end(Buffer.from('z'));
  await until(() => rec.ends.length === 1, 'end');
  assert.equal(rec.data.get(s.id), `€${'y'.repeat(2999)}z`);
  assert.equal(reg.list()[0]?.dropped ?? 0, 0);
  assert.deepEqual(rec.ends, [{ streamId: s.id }]);
});

test('pipeReadable: a source error ends the stream with it; closing the stream destroys the source', async () => {
  const bus = new EventBus();
  const rec = recorder(bus);
  const reg = new StreamRegistry(bus);
  const bad = new PassThrough();
  const s1 = reg.open({ kind: 'logs' });
  pipeReadable(s1, bad);
  bad.destroy(new Error('socket hang up'));
  await until(() => rec.ends.length === 1, 'end');
  assert.deepEqual(rec.ends[0], { streamId: s1.id, error: 'socket hang up' });
  const src = new PassThrough();
  const s2 = reg.open({ kind: 'logs', dispose: () => src.destroy() });
  pipeReadable(s2, src);
  await reg.close(s2.id);
  assert.equal(src.destroyed, true);
  await sleep(20);
  assert.equal(rec.ends.filter((e) => e.streamId === s2.id).length, 1);
});

test('feedText: finite output larger than the backlog cap arrives whole, in order; a close stops it', async () => {
  const bus = new EventBus();
  const rec = recorder(bus);
  const reg = new StreamRegistry(bus, { maxCharsPerSecond: 200_000, highWaterMark: 1000, maxBacklog: 2000, flushIntervalMs: 5 });
  const s = reg.open({ kind: 'logs' });
  const text = Array.from({ length: 2000 }, (_, i) => `line ${i}\n`).join('');
  await feedText(s, text, 300);
  await until(() => rec.ends.length === 1, 'end');
  assert.equal(rec.data.get(s.id), text);
  assert.deepEqual(rec.ends, [{ streamId: s.id }]);

  const slow = new StreamRegistry(bus, { maxCharsPerSecond: 1000, highWaterMark: 1000, maxBacklog: 2000 });
  const s2 = slow.open({ kind: 'logs' });
  const feeding = feedText(s2, 'y'.repeat(50_000), 500);
  await sleep(20);
  await slow.close(s2.id);
  await feeding; // resolves instead of waiting forever for a drain
  assert.ok((rec.data.get(s2.id) ?? '').length < 50_000);
});

test('ownerOf routes every event of a stream, including its end, to its owner', async () => {
  const bus = new EventBus();
  const reg = new StreamRegistry(bus);
  const seen: Array<[string, string | undefined]> = [];
  bus.onAny((name, payload) => {
    if (name === 'stream.data' || name === 'stream.end') seen.push([name, reg.ownerOf((payload as { streamId: string }).streamId)]);
  });
  const a = runAsStreamOwner('A', () => reg.open({ kind: 'logs' }));
  a.push('x');
  a.end();
  await until(() => seen.length === 2, 'data and end');
  const b = runAsStreamOwner('B', () => reg.open({ kind: 'exec' }));
  reg.closeOwner('B');
  assert.deepEqual(seen, [['stream.data', 'A'], ['stream.end', 'A'], ['stream.end', 'B']]);
  assert.equal(reg.ownerOf(a.id), undefined);
  assert.equal(reg.ownerOf(b.id), undefined);
  assert.equal(reg.has(a.id), false);
});
