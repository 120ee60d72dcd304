import type Docker from 'dockerode';
import type { ServiceImpl } from '../contract/define.js';
import type { Contract } from '../contract/services.js';
import { openExec, openLogs } from './container-streams.js';
import type { EngineDeps } from './deps.js';
import { isNotModified, toUserError } from './errors.js';
import { displayRef, nameResolver } from './names.js';
import { toCreateOptions } from './run-config.js';
import { StatsSampler } from './stats-sampler.js';
import { toContainerSummary } from './summaries.js';
import { HELPER_LABEL } from './volume-helper.js';

export type ContainersService = ServiceImpl<Contract['containers']>;

export function createContainersService({ docker, streams }: EngineDeps): ContainersService {
  const subject = (ref: string) => ({ kind: 'container' as const, ref });
  const sampler = new StatsSampler(docker);

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
        // Wharf's short-lived volume helpers are not the user's containers.
        return all.filter((c) => !c.Labels?.[HELPER_LABEL]).map(toContainerSummary);
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
      try {
        return await sampler.sample();
      } catch (err) {
        throw toUserError(err);
      }
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
