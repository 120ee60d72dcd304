import type Docker from 'dockerode';

/**
 * Defers every method of an engine service to the live instance, which only
 * exists while the engine runs; the getter throws a clear error otherwise.
 */
export function guardEngine<S extends object>(get: () => S): S {
  return new Proxy({} as S, {
    get: (_t, name) => (...args: unknown[]) => {
      const svc = get() as Record<string | symbol, (...a: unknown[]) => unknown>;
      return svc[name]!.apply(svc, args);
    },
  });
}

/** "Clean / purge data": every container, volume and image in the engine. */
export async function removeAllEngineData(docker: Docker): Promise<void> {
  for (const c of await docker.listContainers({ all: true })) await docker.getContainer(c.Id).remove({ force: true, v: true });
  for (const v of (await docker.listVolumes()).Volumes ?? []) await docker.getVolume(v.Name).remove({ force: true });
  for (const i of await docker.listImages({ all: true })) await docker.getImage(i.Id).remove({ force: true }).catch(() => undefined);
  await docker.pruneBuilder().catch(() => undefined);
}
