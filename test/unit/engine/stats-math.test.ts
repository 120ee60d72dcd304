import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cpuPercent, memoryUsage, toContainerStats } from '../../../src-main/core/engine/stats-math.js';

const sample = (cpu: number, preCpu: number, sys: number, preSys: number, online?: number, percpu?: number[]) => ({
  cpu_stats: { cpu_usage: { total_usage: cpu, percpu_usage: percpu }, system_cpu_usage: sys, online_cpus: online },
  precpu_stats: { cpu_usage: { total_usage: preCpu }, system_cpu_usage: preSys },
}) as never;

test('cpu%: delta over system delta × online CPUs × 100 (docker stats)', () => {
  // one full core of a 4-CPU host: the system delta counts all 4 CPUs
  assert.equal(cpuPercent(sample(1_000_000_000, 0, 4_000_000_000, 0, 4)), 100);
  assert.equal(cpuPercent(sample(3_000, 1_000, 10_000, 2_000, 2)), 50);
});

test('cpu%: percpu length when online_cpus is missing; zero for no or negative deltas', () => {
  assert.equal(cpuPercent(sample(200, 100, 400, 0, undefined, [1, 1])), 50);
  assert.equal(cpuPercent(sample(100, 100, 400, 0, 2)), 0);
  assert.equal(cpuPercent(sample(200, 100, 400, 400, 2)), 0);
  assert.equal(cpuPercent({ cpu_stats: undefined, precpu_stats: undefined } as never), 0);
});

test('memory: usage minus inactive file cache (cgroup v1 and v2)', () => {
  assert.equal(memoryUsage({ memory_stats: { usage: 1000, stats: { total_inactive_file: 300 } } } as never), 700);
  assert.equal(memoryUsage({ memory_stats: { usage: 1000, stats: { inactive_file: 100 } } } as never), 900);
  assert.equal(memoryUsage({ memory_stats: { usage: 1000, stats: { inactive_file: 5000 } } } as never), 1000);
  assert.equal(memoryUsage({ memory_stats: {} } as never), 0);
});

test('toContainerStats rounds cpu to 2 decimals and carries the limit', () => {
  const s = toContainerStats('id', { ...(sample(1, 0, 3, 0, 1) as object), memory_stats: { usage: 10, limit: 99, stats: {} } } as never, 42);
  assert.deepEqual(s, { id: 'id', cpuPercent: 33.33, memoryBytes: 10, memoryLimitBytes: 99, at: 42 });
});
