import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ResourceSaver, type ResourceSaverDeps } from '../../src-main/core/resource-saver.js';

function rig(over: Partial<ResourceSaverDeps> = {}) {
  let now = 1_000_000;
  const state = { up: true, open: 0, lastAt: 0, containers: 0, minutes: 1, slept: 0 };
  const saver = new ResourceSaver({
    minutes: () => state.minutes,
    engineUp: () => state.up,
    activity: () => ({ open: state.open, lastAt: state.lastAt }),
    runningContainers: async () => state.containers,
    sleep: async () => { state.slept++; state.up = false; },
    log: () => undefined,
    now: () => now,
    ...over,
  });
  return { saver, state, advance: (ms: number) => { now += ms; }, now: () => now };
}

test('sleeps after the idle minutes with nothing running and nobody connected', async () => {
  const { saver, state, advance } = rig();
  assert.equal(await saver.check(), false);
  advance(59_000);
  assert.equal(await saver.check(), false);
  advance(1_000);
  assert.equal(await saver.check(), true);
  assert.equal(state.slept, 1);
});

test('a running container, an open client or a recent connection keeps it awake', async () => {
  const { saver, state, advance, now } = rig();
  await saver.check();
  state.containers = 1;
  advance(120_000);
  assert.equal(await saver.check(), false);
  state.containers = 0;
  state.open = 1;
  advance(120_000);
  assert.equal(await saver.check(), false);
  state.open = 0;
  assert.equal(await saver.check(), false, 'the idle clock starts again when the client leaves');
  advance(30_000);
  state.lastAt = now(); // a `docker ps` came and went between two looks
  advance(40_000);
  assert.equal(await saver.check(), false);
  advance(20_000);
  assert.equal(await saver.check(), true);
});

test('off (0 minutes) or an engine that is not up never sleeps', async () => {
  const { saver, state, advance } = rig();
  state.minutes = 0;
  await saver.check();
  advance(3_600_000);
  assert.equal(await saver.check(), false);
  state.minutes = 1;
  state.up = false;
  advance(3_600_000);
  assert.equal(await saver.check(), false);
  assert.equal(state.slept, 0);
});

test('an engine error while checking is logged and counts as not idle', async () => {
  const lines: string[] = [];
  const { saver } = rig({ runningContainers: async () => { throw new Error('engine gone'); }, log: (l) => lines.push(l) });
  assert.equal(await saver.check(), false);
  assert.match(lines[0]!, /engine gone/);
  assert.equal(saver.idleSinceMs, undefined);
});
