import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { mock, test } from 'node:test';
import type Docker from 'dockerode';
import { Coalescer } from '../../../src-main/core/engine/coalescer.js';
import type { EngineConnection } from '../../../src-main/core/engine/connection.js';
import { EventsWatcher, lifecycleOf, topicOf, type ContainerLifecycleEvent } from '../../../src-main/core/engine/events-watcher.js';
import { EventBus } from '../../../src-main/core/util/event-bus.js';

test('topicOf: lists that an engine event changes', () => {
  assert.equal(topicOf({ Type: 'container', Action: 'start' }), 'containers');
  assert.equal(topicOf({ Type: 'container', Action: 'health_status: healthy' }), 'containers');
  assert.equal(topicOf({ Type: 'container', Action: 'exec_start: sh' }), undefined);
  assert.equal(topicOf({ Type: 'container', Action: 'exec_die' }), undefined);
  assert.equal(topicOf({ Type: 'image', Action: 'pull' }), 'images');
  assert.equal(topicOf({ Type: 'volume', Action: 'mount' }), 'volumes');
  assert.equal(topicOf({ Type: 'network', Action: 'connect' }), 'networks');
});

test('lifecycleOf: start/die/stop/destroy with id and name', () => {
  assert.deepEqual(lifecycleOf({ Type: 'container', Action: 'die', Actor: { ID: 'abc', Attributes: { name: 'web', exitCode: '0' } }, time: 7 }),
    { action: 'die', id: 'abc', name: 'web', time: 7 });
  assert.equal(lifecycleOf({ Type: 'container', Action: 'create', Actor: { ID: 'abc' } }), undefined);
  assert.equal(lifecycleOf({ Type: 'image', Action: 'delete', Actor: { ID: 'abc' } }), undefined);
});

test('coalescer: one flush per window, counted from the first key', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const flushed: string[][] = [];
    const c = new Coalescer<string>(50, (k) => flushed.push(k));
    c.add('containers'); c.add('images'); c.add('containers');
    mock.timers.tick(30);
    c.add('volumes');
    assert.deepEqual(flushed, []);
    mock.timers.tick(20);
    assert.deepEqual(flushed, [['containers', 'images', 'volumes']]);
    c.add('containers');
    mock.timers.tick(49);
    assert.equal(flushed.length, 1);
    mock.timers.tick(1);
    assert.deepEqual(flushed[1], ['containers']);
  } finally {
    mock.timers.reset();
  }
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Waits until `cond` holds (tests may run on a loaded machine); fails after 5 s. */
async function until(cond: () => boolean, what: string): Promise<void> {
  for (const t0 = Date.now(); !cond();) {
    if (Date.now() - t0 > 5000) throw new Error(`timed out waiting for ${what}`);
    await sleep(2);
  }
}

/** A stand-in for the connection: just the events and check(). */
class FakeConnection extends EventEmitter {
  connected = true;
  checks = 0;
  async check(): Promise<boolean> { this.checks++; return this.connected; }
}

test('watcher: bursts of engine events become one invalidate per topic; lifecycle listeners fire', async () => {
  const bus = new EventBus();
  const inv: string[] = [];
  bus.on('invalidate', (p) => inv.push(p.topic));
  const streams: PassThrough[] = [];
  const calls: Array<Record<string, unknown>> = [];
  const docker = { getEvents: async (o: Record<string, unknown>) => { calls.push(o); const s = new PassThrough(); streams.push(s); return s; } } as unknown as Docker;
  const conn = new FakeConnection();
  const w = new EventsWatcher(docker, bus, conn as unknown as EngineConnection, { debounceMs: 20, retryMs: 10 });
  const life: ContainerLifecycleEvent[] = [];
  w.onContainerEvent((e) => life.push(e));
  w.onContainerEvent(() => { throw new Error('a broken listener'); });
  w.start();
  await until(() => w.subscribed, 'subscription');
  assert.deepEqual(calls[0]!['filters'], { type: ['container', 'image', 'volume', 'network'] });
  assert.equal(calls[0]!['since'], undefined);

  const ev = (o: object) => `${JSON.stringify(o)}\n`;
  const line = ev({ Type: 'container', Action: 'start', Actor: { ID: 'c1', Attributes: { name: 'web' } }, time: 100 })
    + ev({ Type: 'container', Action: 'exec_start: sh', Actor: { ID: 'c1' }, time: 100 })
    + ev({ Type: 'volume', Action: 'mount', Actor: { ID: 'v' }, time: 101 });
  streams[0]!.write(line.slice(0, 30));
  streams[0]!.write(line.slice(30));
  streams[0]!.write(ev({ Type: 'container', Action: 'die', Actor: { ID: 'c1' }, time: 102 }));
  await until(() => inv.length >= 2 && life.length === 2, 'invalidations');
  await sleep(30); // one window later: still exactly one per topic
  assert.deepEqual(inv.sort(), ['containers', 'volumes']);
  assert.deepEqual(life.map((e) => `${e.action}:${e.id}`), ['start:c1', 'die:c1']);

  // The stream drops while the engine still answers: re-check, refetch all, re-subscribe since the last event.
  streams[0]!.destroy();
  await until(() => calls.length === 2 && w.subscribed && inv.length >= 6, 're-subscription');
  assert.equal(conn.checks, 1);
  assert.deepEqual(inv.slice(2).sort(), ['containers', 'images', 'networks', 'volumes']);
  assert.equal(calls.length, 2);
  assert.equal(calls[1]!['since'], '102');
  assert.equal(w.subscribed, true);

  // Disconnect unsubscribes; reconnect subscribes again.
  conn.connected = false;
  conn.emit('disconnected', 'gone');
  assert.equal(w.subscribed, false);
  conn.connected = true;
  conn.emit('connected');
  await until(() => calls.length === 3, 'subscription after reconnect');
  w.stop();
  assert.equal(w.subscribed, false);
});

test('watcher: a failing /events backs off instead of hammering the engine', async () => {
  const bus = new EventBus();
  let calls = 0;
  const docker = { getEvents: async () => { calls++; throw Object.assign(new Error('(HTTP code 500) server error - nope'), { statusCode: 500 }); } } as unknown as Docker;
  const conn = new FakeConnection();
  const w = new EventsWatcher(docker, bus, conn as unknown as EngineConnection, { retryMs: 20, maxRetryMs: 80 });
  w.start();
  await new Promise((r) => setTimeout(r, 300));
  w.stop();
  // with doubling waits 20, 40, 80, 80 … there are about 5 attempts in 300 ms, not 15
  assert.ok(calls >= 2 && calls <= 7, `attempts: ${calls}`);
});
