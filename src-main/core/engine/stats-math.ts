import type { ContainerStats as DockerStats } from 'dockerode';
import type { ContainerStats } from '../contract/types.js';

/**
 * CPU% as `docker stats` computes it: the container's CPU time delta over the
 * host's CPU time delta between two samples, times the number of online CPUs,
 * times 100. So one busy core on a 4-CPU machine shows 100%, all four 400%.
 */
export function cpuPercent(s: Pick<DockerStats, 'cpu_stats' | 'precpu_stats'>): number {
  const cur = s.cpu_stats;
  const pre = s.precpu_stats;
  if (!cur?.cpu_usage || !pre?.cpu_usage) return 0;
  const cpuDelta = cur.cpu_usage.total_usage - pre.cpu_usage.total_usage;
  const systemDelta = (cur.system_cpu_usage ?? 0) - (pre.system_cpu_usage ?? 0);
  const online = cur.online_cpus || cur.cpu_usage.percpu_usage?.length || 1;
  if (!(cpuDelta > 0) || !(systemDelta > 0)) return 0;
  return (cpuDelta / systemDelta) * online * 100;
}

/**
 * Memory as `docker stats` shows it: usage minus the page cache that the
 * kernel can reclaim (cgroup v1: total_inactive_file, v2: inactive_file).
 */
export function memoryUsage(s: Pick<DockerStats, 'memory_stats'>): number {
  const m = s.memory_stats;
  if (!m || typeof m.usage !== 'number') return 0;
  const st = (m.stats ?? {}) as Record<string, number | undefined>;
  const v1 = st['total_inactive_file'];
  if (typeof v1 === 'number' && v1 < m.usage) return m.usage - v1;
  const v2 = st['inactive_file'];
  if (typeof v2 === 'number' && v2 < m.usage) return m.usage - v2;
  return m.usage;
}

export function toContainerStats(id: string, s: DockerStats, at: number): ContainerStats {
  return {
    id,
    cpuPercent: Math.round(cpuPercent(s) * 100) / 100,
    memoryBytes: memoryUsage(s),
    memoryLimitBytes: s.memory_stats?.limit ?? 0,
    at,
  };
}
