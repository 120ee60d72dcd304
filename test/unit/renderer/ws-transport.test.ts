import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createWsTransport } from '../../../src-renderer/ipc/ws-transport.js';
import { captureKeyFromLocation, dashboardProtocols } from '../../../src-renderer/ipc/dashboard-key.js';
import { sleep } from './fake-transport.js';

/** A scripted stand-in for the browser WebSocket. */
class FakeSocket {
  static OPEN = 1;
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: string[] = [];
  onopen?: () => void;
  onclose?: (ev: { code: number }) => void;
  onmessage?: (ev: { data: string }) => void;
  constructor(readonly url: string, readonly protocols?: string[]) {
    FakeSocket.all.push(this);
  }
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  drop(code = 1006) {
    this.readyState = 3;
    this.onclose?.({ code });
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

describe('dashboard WebSocket transport: the page key (finding 3)', () => {
  useFakeWebSocket();

  it('takes the key from the sign-in fragment into storage, off the address bar, and offers it on the handshake', () => {
    const store = new Map<string, string>();
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) };
    const urls: string[] = [];
    assert.deepEqual(dashboardProtocols(storage), ['wharf.v1'], 'no key yet: the server will refuse, as it should');
    captureKeyFromLocation({ hash: '#wharf-key=abc_DEF-123', pathname: '/', search: '' }, storage, (u) => urls.push(u));
    assert.deepEqual(urls, ['/']);
    assert.deepEqual(dashboardProtocols(storage), ['wharf.v1', 'wharf-key.abc_DEF-123']);
    captureKeyFromLocation({ hash: '#other=1', pathname: '/', search: '' }, storage, (u) => urls.push(u));
    assert.equal(urls.length, 1, 'a fragment without a key is left alone');

    createWsTransport('ws://127.0.0.1:1/ws', undefined, () => dashboardProtocols(storage));
    assert.deepEqual(FakeSocket.all.at(-1)!.protocols, ['wharf.v1', 'wharf-key.abc_DEF-123']);
  });

  it('a session the server ended (4401) fails calls with SessionEnded and is not retried', async () => {
    const t = createWsTransport('ws://127.0.0.1:1/ws', undefined, () => ['wharf.v1']);
    let signedOut = 0;
    t.onSignedOut!(() => signedOut++);
    const socket = FakeSocket.all.at(-1)!;
    socket.open();
    const call = t.call('containers.start', ['x']);
    await sleep(1);
    const before = FakeSocket.all.length;
    socket.drop(4401);
    const res = await call;
    assert.equal(!res.ok && res.error.name, 'SessionEnded');
    assert.match(!res.ok ? res.error.message : '', /wharf dashboard/);
    await sleep(400);
    assert.equal(FakeSocket.all.length, before, 'no reconnect');
    assert.equal(signedOut, 1);
  });
});
