import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { ContainerStats, EngineStatus } from '../../../src-main/core/contract/index.js';
import { setTransportForTests } from '../../../src-renderer/ipc/index.js';
import { connectionStore, connectConnectionEvents } from '../../../src-renderer/stores/connection-store.js';
import { connectEngineEvents, currentVm, engineAction, engineLive, engineStore } from '../../../src-renderer/stores/engine-store.js';
import { pullsStore, startPull } from '../../../src-renderer/stores/pulls-store.js';
import { containersStore } from '../../../src-renderer/stores/resources.js';
import { RingBuffer } from '../../../src-renderer/stores/ring-buffer.js';
import { MAX_SAMPLES, resetStatsForTests, retainStatsSampler, statsSeries, statsStore } from '../../../src-renderer/stores/stats-store.js';
import { openStream, streamRegistrySize } from '../../../src-renderer/stores/streams.js';
import { setVisibleForTests } from '../../../src-renderer/stores/visibility.js';
import { FakeTransport, sleep } from './fake-transport.js';

const status = (state: EngineStatus['vm']['state']): EngineStatus => ({
  vm: { state }, backend: 'qemu', socketPath: '/tmp/d.sock', dockerContext: 'wharf', versions: { wharf: '0.1.0' }, notices: [],
});

describe('engine store', () => {
  let offs: Array<() => void> = [];
  beforeEach(() => setVisibleForTests(true));
  afterEach(() => {
    offs.forEach((f) => f());
    offs = [];
    setVisibleForTests(undefined);
    engineLive.setState({ vm: undefined, boot: undefined, milestones: [], action: undefined, actionError: undefined });
  });

  it('follows vmState and bootProgress events live, then lets a status fetch win', async () => {
    let state: EngineStatus['vm']['state'] = 'stopped';
    const t = new FakeTransport({ 'engine.status': () => status(state), 'containers.list': () => [] });
    setTransportForTests(t);
    offs.push(connectEngineEvents(), engineStore.retain(), containersStore.retain());
    await sleep(10);
    assert.equal(currentVm(engineStore.store.getState().data, engineLive.getState())?.state, 'stopped');
    const listsBefore = t.count('containers.list');

    t.emit('vmState', { state: 'starting' });
    t.emit('bootProgress', { milestone: 'kernel', fraction: 0.1, elapsedSeconds: 1 });
    t.emit('bootProgress', { milestone: 'dockerd', fraction: 0.8, elapsedSeconds: 9 });
    t.emit('bootProgress', { milestone: 'dockerd', fraction: 0.8, elapsedSeconds: 9 });
    assert.equal(currentVm(engineStore.store.getState().data, engineLive.getState())?.state, 'starting', 'live event, no round trip');
    assert.equal(engineLive.getState().boot?.milestone, 'dockerd');
    assert.deepEqual(engineLive.getState().milestones, ['kernel', 'dockerd']);

    state = 'running';
    t.emit('vmState', { state: 'running' });
    await sleep(250);
    assert.equal(engineStore.store.getState().data?.vm.state, 'running');
    assert.equal(engineLive.getState().vm, undefined, 'the fetched status replaced the live override');
    assert.ok(t.count('containers.list') > listsBefore, 'engine up → lists refetched');
  });

  it('keeps an engine action error for the status bar', async () => {
    const t = new FakeTransport({
      'engine.status': () => status('stopped'),
      'engine.start': () => { throw Object.assign(new Error('QEMU is not installed'), { name: 'UserError' }); },
    });
    setTransportForTests(t);
    await engineAction('start');
    assert.deepEqual(engineLive.getState().actionError, { name: 'UserError', message: 'QEMU is not installed' });
    assert.equal(engineLive.getState().action, undefined);
  });
});

describe('connection store', () => {
  it('reports a lost connection only after having been connected, and refetches after reconnecting', async () => {
    setVisibleForTests(true);
    const t = new FakeTransport({ 'containers.list': () => [] });
    setTransportForTests(t);
    connectionStore.setState({ connected: undefined, everConnected: false, lostAt: undefined });
    const off = connectConnectionEvents();
    const release = containersStore.retain();
    await sleep(10);
    t.setConnected(false);
    assert.equal(connectionStore.getState().everConnected, false);
    t.setConnected(true);
    const before = t.count('containers.list');
    t.setConnected(false);
    assert.equal(connectionStore.getState().connected, false);
    assert.ok(connectionStore.getState().lostAt);
    t.setConnected(true);
    await sleep(200);
    assert.equal(connectionStore.getState().connected, true);
    assert.ok(t.count('containers.list') > before, 'stale lists refetched after the reconnect');
    release();
    off();
    setVisibleForTests(undefined);
  });
});

describe('stream routing', () => {
  it('delivers events that arrive before the opening call returns, then closes', async () => {
    const t: FakeTransport = new FakeTransport({
      'containers.logs': () => {
        // The core may push data before the response with the id arrives.
        t.emit('stream.data', { streamId: 's1', data: 'early ' });
        return { streamId: 's1' };
      },
      'streams.close': () => undefined,
      'streams.write': () => undefined,
    });
    setTransportForTests(t);
    const got: string[] = [];
    const s = await openStream(() => t.call('containers.logs', []).then((r) => (r.ok ? (r.result as { streamId: string }) : Promise.reject(new Error('x')))), {
      onData: (d) => got.push(d),
    });
    t.emit('stream.data', { streamId: 's1', data: 'late' });
    t.emit('stream.data', { streamId: 'other', data: 'not mine' });
    assert.deepEqual(got, ['early ', 'late']);
    await s.write('ls\r');
    assert.deepEqual(t.calls.at(-1), { method: 'streams.write', args: ['s1', 'ls\r'] });
    s.close();
    t.emit('stream.data', { streamId: 's1', data: 'after close' });
    assert.deepEqual(got, ['early ', 'late']);
    await sleep(1);
    assert.equal(t.count('streams.close'), 1);
    assert.equal(streamRegistrySize().handlers, 0);
  });

  it('tracks a pull through pull.progress until done', async () => {
    const t: FakeTransport = new FakeTransport({
      'images.pull': (ref) => {
        setTimeout(() => {
          t.emit('pull.progress', { streamId: 'p1', progress: { ref: String(ref), done: false, layers: [{ id: 'abc', status: 'Downloading', current: 5, total: 10 }] } });
          t.emit('pull.progress', { streamId: 'p1', progress: { ref: String(ref), done: true, layers: [{ id: 'abc', status: 'Pull complete' }] } });
          t.emit('stream.end', { streamId: 'p1' });
        }, 5);
        return { streamId: 'p1' };
      },
      'images.list': () => [],
    });
    setTransportForTests(t);
    await startPull('10.0.2.2:5000/e2e/busybox:latest');
    assert.equal(pullsStore.getState().pulls[0]?.status, 'pulling');
    await sleep(30);
    const p = pullsStore.getState().pulls[0]!;
    assert.equal(p.status, 'done');
    assert.equal(p.progress?.layers[0]?.status, 'Pull complete');
  });

  it('shows a pull that the core refuses as an error', async () => {
    const t = new FakeTransport({ 'images.pull': () => { throw Object.assign(new Error('expected an image reference'), { name: 'ValidationError' }); } });
    setTransportForTests(t);
    await startPull('Bad Ref');
    const p = pullsStore.getState().pulls[0]!;
    assert.equal(p.status, 'error');
    assert.match(p.error ?? '', /image reference/);
  });
});

describe('stats sampler', () => {
  afterEach(() => {
    resetStatsForTests();
    setVisibleForTests(undefined);
  });

  const sample = (id: string, cpu: number): ContainerStats => ({ id, cpuPercent: cpu, memoryBytes: 1e6, memoryLimitBytes: 1e9, at: Date.now() });

  it('samples only while held and visible, and forgets containers that stop reporting', async () => {
    let ids = ['a', 'b'];
    const t = new FakeTransport({ 'containers.stats': () => ids.map((id, i) => sample(id, i)) });
    setTransportForTests(t);
    setVisibleForTests(true);
    resetStatsForTests(20);
    await sleep(50);
    assert.equal(t.count('containers.stats'), 0, 'no sampling without a holder');
    const release = retainStatsSampler();
    await sleep(55);
    const n = t.count('containers.stats');
    assert.ok(n >= 2 && n <= 4, `sampled ${n} times`);
    assert.equal(statsStore.getState().sampling, true);
    setVisibleForTests(false);
    await sleep(10);
    const hiddenAt = t.count('containers.stats');
    await sleep(60);
    assert.equal(t.count('containers.stats'), hiddenAt, 'paused while hidden');
    ids = ['a'];
    setVisibleForTests(true);
    await sleep(30);
    assert.ok(t.count('containers.stats') > hiddenAt, 'resumed when visible');
    assert.ok(statsSeries('a').length >= 2);
    assert.equal(statsSeries('b').length, 0, 'stopped container dropped');
    release();
    const after = t.count('containers.stats');
    await sleep(60);
    assert.equal(t.count('containers.stats'), after, 'stopped when released');
    assert.equal(statsStore.getState().sampling, false);
  });

  it('keeps at most MAX_SAMPLES per container', () => {
    const rb = new RingBuffer<number>(MAX_SAMPLES);
    for (let i = 0; i < MAX_SAMPLES * 3 + 7; i++) rb.push(i);
    assert.equal(rb.size, MAX_SAMPLES);
    const arr = rb.toArray();
    assert.equal(arr.length, MAX_SAMPLES);
    assert.equal(arr[0], MAX_SAMPLES * 2 + 7);
    assert.equal(rb.last(), MAX_SAMPLES * 3 + 6);
  });

  it('records a stats error in the envelope without stopping', async () => {
    const t = new FakeTransport({ 'containers.stats': () => { throw Object.assign(new Error('engine down'), { name: 'EngineUnavailable' }); } });
    setTransportForTests(t);
    setVisibleForTests(true);
    resetStatsForTests(20);
    const release = retainStatsSampler();
    await sleep(50);
    assert.deepEqual(statsStore.getState().error, { name: 'EngineUnavailable', message: 'engine down' });
    assert.ok(t.count('containers.stats') >= 2);
    release();
  });
});

describe('streams and the connection', () => {
  it('ends every open stream when the connection drops', async () => {
    const t = new FakeTransport({ 'containers.exec': () => ({ streamId: 'x1' }) });
    setTransportForTests(t);
    const ends: Array<string | undefined> = [];
    await openStream(() => t.call('containers.exec', []).then((r) => (r.ok ? (r.result as { streamId: string }) : Promise.reject(new Error('x')))), { onEnd: (e) => ends.push(e) });
    t.setConnected(false);
    assert.deepEqual(ends, ['Lost the connection to Wharf.']);
    t.emit('stream.data', { streamId: 'x1', data: 'late' });
    assert.equal(streamRegistrySize().handlers, 0);
  });
});
