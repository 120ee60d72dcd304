import type Docker from 'dockerode';
import type { ContainerStats as DockerStats } from 'dockerode';
import type { ContainerStats } from '../contract/types.js';
import { mapLimit } from './deps.js';
import { toContainerStats } from './stats-math.js';

/** How many containers are sampled at once. */
const CONCURRENCY = 8;
/** A two-reading sample takes about a second; give up after this. */
const TIMEOUT_MS = 5000;
/** A cached reading older than this is too coarse to difference against. */
const MAX_CACHE_AGE_MS = 30_000;

interface Reading {
  cpu_stats: DockerStats['cpu_stats'];
  at: number;
}

/**
 * One stats sample per running container, fast when polled. The engine's
 * normal sample waits ~1 s for a second reading; when a reading of the same
 * container from an earlier call is recent, this asks for an instant one-shot
 * reading and takes the CPU delta against the cached one instead (the same
 * formula as `docker stats`, over the polling interval).
 */
export class StatsSampler {
  private readonly last = new Map<string, Reading>();

  constructor(private readonly docker: Docker, private readonly now: () => number = Date.now) {}

  async sample(): Promise<ContainerStats[]> {
    const running = await this.docker.listContainers({ all: false });
    const ids = new Set(running.map((c) => c.Id));
    for (const id of this.last.keys()) if (!ids.has(id)) this.last.delete(id);
    const out = await mapLimit(running, CONCURRENCY, (c) => this.one(c.Id));
    return out.filter((s): s is ContainerStats => s !== undefined);
  }

  private async one(id: string): Promise<ContainerStats | undefined> {
    const cached = this.last.get(id);
    const fresh = cached !== undefined && this.now() - cached.at < MAX_CACHE_AGE_MS;
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), TIMEOUT_MS);
    try {
      // abortSignal is honoured by dockerode at runtime; its typings omit it.
      const opts = { stream: false, 'one-shot': fresh, abortSignal: ac.signal } as { stream: false; 'one-shot': boolean };
      const s = await this.docker.getContainer(id).stats(opts);
      const at = this.now();
      const stats = fresh ? withPrevious(s, cached.cpu_stats) : s;
      this.last.set(id, { cpu_stats: s.cpu_stats, at });
      return toContainerStats(id, stats, at);
    } catch {
      return undefined; // stopped meanwhile, or too slow: leave it out of this sample
    } finally {
      clearTimeout(timer);
    }
  }
}

/** A reading with `precpu_stats` replaced by an earlier reading. Pure; exported for tests. */
export function withPrevious(s: DockerStats, previous: DockerStats['cpu_stats']): DockerStats {
  return { ...s, precpu_stats: previous };
}
