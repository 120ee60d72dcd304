import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { method } from '../../../src-main/core/contract/define.js';
import type { StreamHandle } from '../../../src-main/core/contract/types.js';
import { createDispatcher } from '../../../src-main/core/transports/dispatcher.js';
import { ControlSocketServer, CLIENT_DROP_ABOVE } from '../../../src-main/core/transports/control-socket.js';
import { EventBus } from '../../../src-main/core/util/event-bus.js';
import { StreamRegistry, pipeReadable } from '../../../src-main/core/util/streams.js';

/*
 * Security finding 4: a control-socket client that stops reading (a suspended
 * `wharf logs -f`, a hung browser tab behind the relay) made the core's
 * memory grow without bound. Here a real control socket serves endless log
 * streams, produced as fast as the registry lets them, to a client that stops
 * reading.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wharf-slow-'));
const sock = path.join(dir, 'control.sock');
const bus = new EventBus();
const streams = new StreamRegistry(bus);
const chunk = 'log line '.repeat(7000) + '\n';
const c = { logs: { follow: method().returns<StreamHandle>() } } as const;
const control = new ControlSocketServer(sock, {
  bus,
  streams,
  dispatch: createDispatcher(c, {
    logs: {
      follow: async () => {
        let stopped = false;
        const source = new Readable({ read() { if (!stopped) this.push(chunk); } });
        const s = streams.open({ kind: 'logs', dispose: () => { stopped = true; source.destroy(); } });
        pipeReadable(s, source);
        return { streamId: s.id } as StreamHandle;
      },
    },
  }),
});

before(() => control.listen());
after(() => control.close());

function connect(): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect(sock, () => resolve(s));
    s.once('error', reject);
  });
}

/** Opens n following log streams and waits until each call is answered. */
async function follow(client: net.Socket, n: number): Promise<void> {
  let answered = 0;
  let buf = '';
  await new Promise<void>((resolve) => {
    const onData = (d: Buffer) => {
      buf += d.toString();
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line.startsWith('{"type":"result"') && ++answered === n) { client.off('data', onData); resolve(); }
      }
    };
    client.on('data', onData);
    for (let i = 1; i <= n; i++) client.write(JSON.stringify({ type: 'call', id: i, method: 'logs.follow', args: [] }) + '\n');
  });
}

const mib = (n: number) => (n / 1024 / 1024).toFixed(1);

test('finding 4: 8 paused log streams keep what the core buffers for that client bounded', async () => {
  const client = await connect();
  await follow(client, 8);
  client.pause();
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  let peak = 0;
  for (let i = 0; i < 40; i++) {
    await new Promise((r) => setTimeout(r, 100));
    peak = Math.max(peak, control.bufferedBytes());
  }
  const grew = process.memoryUsage().rss - rssBefore;
  process.stdout.write(`FIGURE slow-reader streams=8 seconds=4 core_buffered_peak_mib=${mib(peak)} rss_growth_mib=${mib(grew)}\n`);
  // Unbounded, 8 streams at 2 MiB/s queue ~64 MiB in 4 s.
  assert.ok(peak < 4 * 1024 * 1024, `the core buffered ${mib(peak)} MiB for a client that reads nothing`);
  assert.ok(grew < 48 * 1024 * 1024, `rss grew ${mib(grew)} MiB`);
  assert.ok(streams.list().length === 8 && streams.list().every((s) => s.backlog <= 1024 * 1024), 'each stream holds at most its own bounded backlog');

  // Reading again resumes the streams.
  let received = 0;
  client.on('data', (d: Buffer) => { received += d.length; });
  client.resume();
  await new Promise((r) => setTimeout(r, 1000));
  assert.ok(received > 1024 * 1024, `the resumed client got ${mib(received)} MiB in 1 s`);
  client.destroy();
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(streams.list().length, 0, 'its streams close when it leaves');
});

test('finding 4: a client that never reads again is dropped past the limit, and its streams close', async () => {
  const client = await connect();
  await follow(client, 2);
  client.pause();
  const clientsBefore = control.clientCount;
  // The paused side never sees its own 'close' (it does not read the EOF): watch the core's side.
  const closed = new Promise<void>((resolve) => {
    const t = setInterval(() => { if (control.clientCount < clientsBefore) { clearInterval(t); resolve(); } }, 10);
  });
  // Events go to every client; a paused one falls behind until it is dropped.
  const payload = 'x'.repeat(64 * 1024);
  const started = performance.now();
  const emitter = setInterval(() => { for (let i = 0; i < 16; i++) bus.emit('invalidate', { topic: payload as never }); }, 5);
  await closed;
  clearInterval(emitter);
  process.stdout.write(`FIGURE slow-reader-drop limit_mib=${mib(CLIENT_DROP_ABOVE)} dropped_after_ms=${Math.round(performance.now() - started)}\n`);
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(streams.list().length, 0);
  assert.ok(control.bufferedBytes() < CLIENT_DROP_ABOVE);
  client.destroy();
});

test('finding 4: a reading client on the same core is not slowed or dropped by a paused one', async () => {
  const paused = await connect();
  await follow(paused, 4);
  paused.pause();
  const reader = await connect();
  await follow(reader, 1);
  let got = 0;
  reader.on('data', (d: Buffer) => { got += d.length; });
  await new Promise((r) => setTimeout(r, 1500));
  assert.ok(got > 1024 * 1024, `the reading client got ${mib(got)} MiB in 1.5 s`);
  assert.ok(!reader.destroyed);
  paused.destroy();
  reader.destroy();
});
