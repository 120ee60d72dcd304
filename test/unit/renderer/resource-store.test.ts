import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { setTransportForTests } from '../../../src-renderer/ipc/index.js';
import { createResourceStore, invalidateAll } from '../../../src-renderer/stores/resource-store.js';
import { setVisibleForTests } from '../../../src-renderer/stores/visibility.js';
import { deferred, FakeTransport, sleep } from './fake-transport.js';

const DEBOUNCE = 25;

function setup(handler: () => unknown = () => ['a']) {
  const t = new FakeTransport({ 'containers.list': handler });
  setTransportForTests(t);
  const rs = createResourceStore<unknown>({
    name: 'test',
    topics: ['containers'],
    fetch: async () => {
      const res = await t.call('containers.list', []);
      if (!res.ok) throw Object.assign(new Error(res.error.message), { name: res.error.name });
      return res.result;
    },
    debounceMs: DEBOUNCE,
  });
  return { t, rs };
}

describe('resource store (invalidation-driven)', () => {
  let release: (() => void) | undefined;
  beforeEach(() => setVisibleForTests(true));
  afterEach(() => {
    release?.();
    release = undefined;
    setVisibleForTests(undefined);
  });

  it('fetches once when first retained, not when merely created', async () => {
    const { t, rs } = setup();
    await sleep(DEBOUNCE * 2);
    assert.equal(t.count('containers.list'), 0);
    release = rs.retain();
    await sleep(5);
    assert.equal(t.count('containers.list'), 1);
    assert.deepEqual(rs.store.getState().data, ['a']);
    assert.equal(rs.store.getState().loading, false);
    assert.equal(rs.store.getState().error, undefined);
  });

  it('debounces a burst of invalidations into one refetch', async () => {
    const { t, rs } = setup();
    release = rs.retain();
    await sleep(5);
    for (let i = 0; i < 10; i++) t.emit('invalidate', { topic: 'containers' });
    await sleep(DEBOUNCE / 2);
    assert.equal(t.count('containers.list'), 1, 'nothing before the debounce elapses');
    await sleep(DEBOUNCE * 2);
    assert.equal(t.count('containers.list'), 2, 'one refetch for the burst');
  });

  it('ignores topics it does not follow', async () => {
    const { t, rs } = setup();
    release = rs.retain();
    await sleep(5);
    t.emit('invalidate', { topic: 'images' });
    t.emit('invalidate', { topic: 'settings' });
    await sleep(DEBOUNCE * 3);
    assert.equal(t.count('containers.list'), 1);
  });

  it('pauses while the window is hidden and catches up once when visible', async () => {
    const { t, rs } = setup();
    release = rs.retain();
    await sleep(5);
    setVisibleForTests(false);
    for (let i = 0; i < 5; i++) t.emit('invalidate', { topic: 'containers' });
    await sleep(DEBOUNCE * 3);
    assert.equal(t.count('containers.list'), 1, 'no fetch while hidden');
    setVisibleForTests(true);
    await sleep(DEBOUNCE * 3);
    assert.equal(t.count('containers.list'), 2, 'exactly one catch-up fetch');
  });

  it('does not refetch on becoming visible when nothing changed', async () => {
    const { t, rs } = setup();
    release = rs.retain();
    await sleep(5);
    setVisibleForTests(false);
    setVisibleForTests(true);
    await sleep(DEBOUNCE * 3);
    assert.equal(t.count('containers.list'), 1);
  });

  it('keeps the last data next to an error envelope, and clears the error on success', async () => {
    let fail = false;
    const { t, rs } = setup(() => {
      if (fail) throw Object.assign(new Error('Cannot connect to the Docker daemon'), { name: 'EngineUnavailable' });
      return ['x'];
    });
    release = rs.retain();
    await sleep(5);
    fail = true;
    t.emit('invalidate', { topic: 'containers' });
    await sleep(DEBOUNCE * 3);
    const s = rs.store.getState();
    assert.deepEqual(s.data, ['x'], 'data survives the failed refetch');
    assert.deepEqual(s.error, { name: 'EngineUnavailable', message: 'Cannot connect to the Docker daemon' });
    assert.equal(s.loading, false);
    // The envelope is plain JSON (it can cross any transport unchanged).
    assert.deepEqual(JSON.parse(JSON.stringify(s.error)), s.error);
    fail = false;
    await rs.refresh();
    assert.equal(rs.store.getState().error, undefined);
  });

  it('coalesces a refresh requested while one is in flight into one more fetch', async () => {
    const gate = deferred<string[]>();
    let n = 0;
    const { t, rs } = setup(() => (++n === 1 ? gate.promise : ['second']));
    release = rs.retain();
    await sleep(5);
    const p1 = rs.refresh();
    const p2 = rs.refresh();
    const p3 = rs.refresh();
    assert.equal(t.count('containers.list'), 1, 'no parallel fetches');
    assert.equal(rs.store.getState().loading, true);
    gate.resolve(['first']);
    await Promise.all([p1, p2, p3]);
    assert.equal(t.count('containers.list'), 2);
    assert.deepEqual(rs.store.getState().data, ['second']);
  });

  it('stops listening when released and refetches on the next retain', async () => {
    const { t, rs } = setup();
    const r1 = rs.retain();
    const r2 = rs.retain();
    await sleep(5);
    assert.equal(rs.holders, 2);
    r1();
    r1(); // idempotent
    assert.equal(rs.holders, 1);
    r2();
    assert.equal(rs.holders, 0);
    assert.equal(t.listenerCount, 0, 'no event listener left behind');
    t.emit('invalidate', { topic: 'containers' });
    await sleep(DEBOUNCE * 3);
    assert.equal(t.count('containers.list'), 1);
    release = rs.retain();
    await sleep(5);
    assert.equal(t.count('containers.list'), 2);
  });

  it('invalidateAll reaches every active store', async () => {
    const { t, rs } = setup();
    release = rs.retain();
    await sleep(5);
    invalidateAll();
    await sleep(DEBOUNCE * 3);
    assert.equal(t.count('containers.list'), 2);
  });
});
