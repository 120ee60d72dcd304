import assert from 'node:assert/strict';
import { test } from 'node:test';
import type Docker from 'dockerode';
import { StatsSampler } from '../../../src-main/core/engine/stats-sampler.js';

/** A fake engine: the container's CPU counter advances 1 s per 4 s of host time (25 % of one of 2 CPUs → 50 %). */
function fakeEngine() {
  let clock = 0;
  const calls: Array<{ id: string; oneShot: boolean }> = [];
  let running = ['c1'];
  const reading = () => ({ cpu_usage: { total_usage: clock / 4 }, system_cpu_usage: clock, online_cpus: 2 });
  const docker = {
    listContainers: async () => running.map((Id) => ({ Id })),
    getContainer: (id: string) => ({
      stats: async (o: { 'one-shot': boolean }) => {
        calls.push({ id, oneShot: o['one-shot'] });
        const pre = o['one-shot'] ? { cpu_usage: { total_usage: 0 }, system_cpu_usage: 0 } : reading();
        if (!o['one-shot']) clock += 1e9; // the engine waits for a second reading
        return { cpu_stats: reading(), precpu_stats: pre, memory_stats: { usage: 10, limit: 20, stats: {} } };
      },
    }),
  } as unknown as Docker;
  return { docker, calls, tick: (ns: number) => { clock += ns; }, setRunning: (ids: string[]) => { running = ids; } };
}

test('first sample waits for the engine\'s two readings; later ones are one-shot against the cached reading', async () => {
  const e = fakeEngine();
  let now = 0;
  const s = new StatsSampler(e.docker, () => now);
  const first = await s.sample();
  assert.deepEqual(e.calls, [{ id: 'c1', oneShot: false }]);
  assert.equal(first[0]!.cpuPercent, 50);
  e.tick(2e9); now += 2000;
  const second = await s.sample();
  assert.deepEqual(e.calls[1], { id: 'c1', oneShot: true });
  assert.equal(second[0]!.cpuPercent, 50, 'delta against the cached reading, not against the empty precpu');
  assert.equal(second[0]!.memoryBytes, 10);
});

test('a stale cache or a container that stopped in between falls back to the full sample', async () => {
  const e = fakeEngine();
  let now = 0;
  const s = new StatsSampler(e.docker, () => now);
  await s.sample();
  now += 60_000; e.tick(60e9);
  await s.sample();
  assert.equal(e.calls[1]!.oneShot, false);
  e.setRunning([]);
  assert.deepEqual(await s.sample(), []);
  e.setRunning(['c1']);
  await s.sample();
  assert.equal(e.calls.at(-1)!.oneShot, false, 'cache was dropped when the container was not running');
});
