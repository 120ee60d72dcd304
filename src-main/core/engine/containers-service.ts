import type Docker from 'dockerode';
import type { ContainerInfo } from 'dockerode';
import type { ServiceImpl } from '../contract/define.js';
import type { Contract } from '../contract/services.js';
import type { ContainerStats } from '../contract/types.js';
import { openExec, openLogs } from './container-streams.js';
import { mapLimit, type EngineDeps } from './deps.js';
import { isNotModified, toUserError } from './errors.js';
import { displayRef, nameResolver } from './names.js';
import { toCreateOptions } from './run-config.js';
import { toContainerStats } from './stats-math.js';
import { toContainerSummary } from './summaries.js';

/** How many containers are sampled at once by containers.stats. */
const STATS_CONCURRENCY = 8;
/** A stats sample takes about a second (the engine waits for a second reading). */
const STATS_TIMEOUT_MS = 5000;

export type ContainersService = ServiceImpl<Contract['containers']>;

export function createContainersService({ docker, streams }: EngineDeps): ContainersService {
  const subject = (ref: string) => ({ kind: 'container' as const, ref });

  /** Runs a state change; "already in that state" (304) is success. */
  const act = async (ref: string, fn: (c: Docker.Container) => Promise<unknown>): Promise<void> => {
    try {
      await fn(docker.getContainer(ref));
    } catch (err) {
      if (isNotModified(err)) return;
      throw toUserError(err, subject(await displayRef(docker, ref)));
    }
  };

  return {
    async list() {
      try {
        const all = await docker.listContainers({ all: true });
        return all.map(toContainerSummary);
      } catch (err) {
        throw toUserError(err);
      }
    },

    start: (ref) => act(ref, (c) => c.start()),
    stop: (ref) => act(ref, (c) => c.stop()),
    restart: (ref) => act(ref, (c) => c.restart()),
    pause: (ref) => act(ref, (c) => c.pause()),
    unpause: (ref) => act(ref, (c) => c.unpause()),
    remove: (ref, { force }) => act(ref, (c) => c.remove({ force })),

    async inspect(ref) {
      try {
        return (await docker.getContainer(ref).inspect()) as unknown as Record<string, unknown>;
      } catch (err) {
        throw toUserError(err, subject(await displayRef(docker, ref)));
      }
    },

    async stats() {
      let running: ContainerInfo[];
      try {
        running = await docker.listContainers({ all: false });
      } catch (err) {
        throw toUserError(err);
      }
      const samples = await mapLimit(running, STATS_CONCURRENCY, async (c): Promise<ContainerStats | undefined> => {
        const ac = new AbortController();
        const timer = setTimeout(() => ac.abort(), STATS_TIMEOUT_MS);
        try {
          // abortSignal is honoured by dockerode at runtime; its typings omit it.
          const opts = { stream: false, abortSignal: ac.signal } as { stream: false };
          const s = await docker.getContainer(c.Id).stats(opts);
          return toContainerStats(c.Id, s, Date.now());
        } catch {
          return undefined; // stopped meanwhile, or too slow: leave it out of this sample
        } finally {
          clearTimeout(timer);
        }
      });
      return samples.filter((s): s is ContainerStats => s !== undefined);
    },

    logs: (ref, opts) => openLogs(docker, streams, ref, opts),

    exec: (ref, cmd) => openExec(docker, streams, ref, cmd),

    async run(opts) {
      let container: Docker.Container;
      try {
        container = await docker.createContainer(toCreateOptions(opts));
      } catch (err) {
        throw toUserError(err, subject(opts.name ?? opts.image));
      }
      try {
        await container.start();
      } catch (err) {
        // Unlike `docker run`, do not leave a never-started container behind.
        await container.remove({ force: true }).catch(() => undefined);
        throw toUserError(err, subject(opts.name ?? opts.image), await nameResolver(docker));
      }
      return { id: container.id };
    },
  };
}
