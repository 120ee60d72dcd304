import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createWsTransport } from '../../../src-renderer/ipc/ws-transport.js';
import { sleep } from './fake-transport.js';

/** A scripted stand-in for the browser WebSocket. */
class FakeSocket {
  static OPEN = 1;
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: string[] = [];
  onopen?: () => void;
  onclose?: () => void;
  onmessage?: (ev: { data: string }) => void;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  drop() {
    this.readyState = 3;
    this.onclose?.();
  }
  send(data: string) {
    if (this.readyState !== 1) throw new Error('not open');
    this.sent.push(data);
  }
  reply(id: number, result: unknown) {
    this.onmessage?.({ data: JSON.stringify({ type: 'result', id, ok: true, result }) });
  }
}

/** Installs FakeSocket as the global WebSocket for the enclosing describe. */
function useFakeWebSocket(): void {
  const g = globalThis as unknown as { WebSocket?: unknown };
  let saved: unknown;
  before(() => {
    saved = g.WebSocket;
    g.WebSocket = FakeSocket;
  });
  after(() => {
    g.WebSocket = saved;
  });
}

describe('dashboard WebSocket transport', () => {
  useFakeWebSocket();

  it('queues calls until open, fails in-flight calls on a drop, and sends later calls on the new socket', async () => {
    const t = createWsTransport('ws://127.0.0.1:1/ws');
    const states: boolean[] = [];
    t.onConnectionChange!((c) => states.push(c));
    const first = FakeSocket.all.at(-1)!;
    const p1 = t.call('engine.status', []);
    await sleep(1);
    assert.equal(first.sent.length, 0, 'nothing sent before open');
    first.open();
    await sleep(1);
    assert.equal(first.sent.length, 1);
    const { id } = JSON.parse(first.sent[0]!) as { id: number };
    first.reply(id, { ok: 1 });
    assert.deepEqual(await p1, { type: 'result', id, ok: true, result: { ok: 1 } });

    const inFlight = t.call('containers.list', []);
    await sleep(1);
    first.drop();
    const failed = await inFlight;
    assert.equal(failed.ok, false);
    assert.equal(!failed.ok && failed.error.name, 'Disconnected');

    // A call made while disconnected waits for the reconnect instead of writing to the dead socket.
    const waiting = t.call('images.list', []);
    await sleep(300); // first retry after 250 ms
    const second = FakeSocket.all.at(-1)!;
    assert.notEqual(second, first);
    second.open();
    await sleep(1);
    assert.equal(second.sent.length, 1);
    const msg = JSON.parse(second.sent[0]!) as { id: number; method: string };
    assert.equal(msg.method, 'images.list');
    second.reply(msg.id, []);
    assert.equal((await waiting).ok, true);
    assert.deepEqual(states, [false, true, false, true]);
  });
});

describe('dashboard WebSocket transport: lost answers', () => {
  useFakeWebSocket();

  it('asks a read again when its answer is lost, but never resends a write', async () => {
    const t = createWsTransport('ws://127.0.0.1:1/ws', { resendAfterMs: 30, giveUpAfterMs: 200 });
    const sock = FakeSocket.all.at(-1)!;
    sock.open();
    const read = t.call('engine.status', []);
    const write = t.call('containers.remove', ['x', { force: false }]);
    await sleep(60);
    const sent = sock.sent.map((m) => JSON.parse(m) as { id: number; method: string });
    assert.equal(sent.filter((m) => m.method === 'engine.status').length, 2, 'the read was sent again');
    assert.equal(sent.filter((m) => m.method === 'containers.remove').length, 1, 'the write was not');
    sock.reply(sent.filter((m) => m.method === 'engine.status')[1]!.id, { vm: { state: 'running' } });
    const res = await read;
    assert.equal(res.ok, true);
    const removeId = sent.find((m) => m.method === 'containers.remove')!.id;
    sock.reply(removeId, null);
    assert.equal((await write).ok, true);
  });

  it('reports a read that never gets an answer', async () => {
    const t = createWsTransport('ws://127.0.0.1:1/ws', { resendAfterMs: 20, giveUpAfterMs: 60 });
    FakeSocket.all.at(-1)!.open();
    const res = await t.call('containers.list', []);
    assert.equal(res.ok, false);
    assert.equal(!res.ok && res.error.name, 'Timeout');
  });
});
