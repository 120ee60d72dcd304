import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { z } from 'zod';
import { method } from '../../../src-main/core/contract/define.js';
import type { CallResponse, EventMessage } from '../../../src-main/core/contract/wire.js';
import { wharfPaths } from '../../../src-main/core/paths.js';
import { ControlSocketServer } from '../../../src-main/core/transports/control-socket.js';
import { createDispatcher } from '../../../src-main/core/transports/dispatcher.js';
import { EventBus } from '../../../src-main/core/util/event-bus.js';
import { StreamRegistry } from '../../../src-main/core/util/streams.js';
import { hostCore, remoteCore, type ControlClientLike } from '../../../src-main/electron/core-facade.js';

class FakeClient implements ControlClientLike {
  calls: Array<[string, unknown[]]> = [];
  listeners: Array<(e: EventMessage) => void> = [];
  closeListeners: Array<() => void> = [];
  closed = false;
  constructor(private readonly reply: (m: string) => CallResponse) {}
  async call(m: string, args: unknown[]): Promise<CallResponse> {
    this.calls.push([m, args]);
    return this.reply(m);
  }
  listen(fn: (e: EventMessage) => void) {
    this.listeners.push(fn);
    return () => {};
  }
  onClose(fn: () => void) {
    this.closeListeners.push(fn);
  }
  close() {
    this.closed = true;
    for (const fn of this.closeListeners) fn();
  }
}

const ok = (result: unknown): CallResponse => ({ type: 'result', id: 7, ok: true, result });

describe('remoteCore', () => {
  it('dispatches through the client and turns engine errors into rejections', async () => {
    const client = new FakeClient((m) => (m === 'engine.start'
      ? { type: 'result', id: 1, ok: false, error: { name: 'UserError', message: 'Wharf is already running.' } }
      : ok({ vm: { state: 'running' } })));
    const core = remoteCore(client, '/x/control.sock');
    assert.deepEqual(await core.dispatch('containers.list', []), ok({ vm: { state: 'running' } }));
    assert.deepEqual((await core.engine.status()).vm, { state: 'running' });
    await assert.rejects(core.engine.start(), { name: 'UserError', message: 'Wharf is already running.' });
    await core.engine.stop();
    await core.engine.restart();
    assert.deepEqual(client.calls.map(([m]) => m), ['containers.list', 'engine.status', 'engine.start', 'engine.stop', 'engine.restart']);
  });

  it('re-emits the remote events on its own bus', () => {
    const client = new FakeClient(() => ok(null));
    const core = remoteCore(client, '/x/control.sock');
    const seen: unknown[] = [];
    core.bus.onAny((name, payload) => seen.push([name, payload]));
    for (const l of client.listeners) l({ type: 'event', name: 'vmState', payload: { state: 'starting' } });
    assert.deepEqual(seen, [['vmState', { state: 'starting' }]]);
  });

  it('reports a lost connection as an error state, but not its own shutdown', async () => {
    const lost = new FakeClient(() => ok(null));
    const a = remoteCore(lost, '/x/control.sock');
    const states: unknown[] = [];
    a.bus.on('vmState', (s) => states.push(s));
    for (const fn of lost.closeListeners) fn();
    assert.equal(states.length, 1);
    assert.match((states[0] as { reason: string }).reason, /Lost the connection to the Wharf core at \/x\/control\.sock/);

    const quitting = new FakeClient(() => ok(null));
    const b = remoteCore(quitting, '/x/control.sock');
    const states2: unknown[] = [];
    b.bus.on('vmState', (s) => states2.push(s));
    await b.shutdown();
    assert.equal(quitting.closed, true);
    assert.deepEqual(states2, []);
  });
});

describe('hostCore with a headless core already running', () => {
  let home: string;
  let server: ControlSocketServer;
  let headlessBus: EventBus;
  const saved = process.env.WHARF_HOME;

  before(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'wharf-host-'));
    process.env.WHARF_HOME = home;
    headlessBus = new EventBus();
    const small = { engine: { status: method().returns<unknown>() }, echo: { say: method(z.string()).returns<string>() } };
    const dispatch = createDispatcher(small, {
      engine: { status: async () => ({ vm: { state: 'running' } }) },
      echo: { say: async (s: string) => `headless says ${s}` },
    });
    server = new ControlSocketServer(wharfPaths(home).controlSocket, { dispatch, bus: headlessBus, streams: new StreamRegistry(headlessBus) });
    await mkdir(wharfPaths(home).run, { recursive: true });
    await server.listen();
  });

  after(async () => {
    await server.close();
    if (saved === undefined) delete process.env.WHARF_HOME;
    else process.env.WHARF_HOME = saved;
    await rm(home, { recursive: true, force: true });
  });

  it('attaches to it over control.sock instead of starting a second core', async () => {
    const logs: string[] = [];
    const core = await hostCore({ repoRoot: '/nonexistent', log: (m) => logs.push(m) });
    try {
      assert.equal(core.mode, 'remote');
      assert.equal(core.streams, undefined);
      assert.match(logs.join('\n'), /attaching to the Wharf core already serving/);
      const res = await core.dispatch('echo.say', ['hi']);
      assert.deepEqual({ ok: res.ok, result: res.ok ? res.result : undefined }, { ok: true, result: 'headless says hi' });
      assert.deepEqual((await core.engine.status()).vm, { state: 'running' });
      const got = new Promise((resolve) => core.bus.on('invalidate', resolve));
      headlessBus.emit('invalidate', { topic: 'containers' });
      assert.deepEqual(await got, { topic: 'containers' });
    } finally {
      await core.shutdown();
    }
  });
});
