import type Docker from 'dockerode';
import type { MapContext } from './errors.js';
import { containerName } from './summaries.js';

/**
 * What to call a container in a message: the UI passes ids, the user knows
 * names. Only consulted on the error path.
 */
export async function displayRef(docker: Docker, ref: string): Promise<string> {
  if (!/^[0-9a-f]{12,64}$/.test(ref)) return ref;
  try {
    const info = await docker.getContainer(ref).inspect();
    return info.Name.replace(/^\//, '') || ref.slice(0, 12);
  } catch {
    return ref.slice(0, 12);
  }
}

/** Resolves container ids quoted in engine messages to names, for error texts. */
export async function nameResolver(docker: Docker): Promise<MapContext> {
  try {
    const all = await docker.listContainers({ all: true });
    return {
      containerName: (id) => {
        const c = all.find((x) => x.Id.startsWith(id));
        return c ? containerName(c.Names, c.Id) : undefined;
      },
    };
  } catch {
    return {};
  }
}
