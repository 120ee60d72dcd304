import type { ServiceImpl } from '../contract/define.js';
import type { Contract } from '../contract/services.js';
import { nameResolver } from './names.js';
import type { EngineDeps } from './deps.js';
import { toUserError } from './errors.js';
import { startPull } from './pull.js';
import { registryOfImage, type DockerCredentials } from './registry-credentials.js';
import { toImageSummary } from './summaries.js';
import { HELPER_LABEL } from './volume-helper.js';

export type ImagesService = ServiceImpl<Contract['images']>;

export function createImagesService({ docker, bus, streams }: EngineDeps, creds?: DockerCredentials): ImagesService {
  return {
    async list() {
      try {
        const [images, containers] = await Promise.all([
          docker.listImages({ all: false }),
          docker.listContainers({ all: true }),
        ]);
        // Wharf's own helper image is an implementation detail.
        return images.filter((img) => !img.Labels?.[HELPER_LABEL]).map((img) => toImageSummary(img, containers));
      } catch (err) {
        throw toUserError(err);
      }
    },

    // Signed-in registries (the docker CLI's credentials) are used for pulls too.
    pull: async (ref) => startPull(docker, bus, streams, ref, await creds?.get(registryOfImage(ref))),

    async remove(ref, { force }) {
      try {
        await docker.getImage(ref).remove({ force });
      } catch (err) {
        throw toUserError(err, { kind: 'image', ref }, await nameResolver(docker));
      }
    },

    async pruneDangling() {
      try {
        const r = await docker.pruneImages({ filters: { dangling: ['true'] } });
        return {
          deleted: (r.ImagesDeleted ?? []).map((d) => d.Deleted || d.Untagged).filter(Boolean),
          spaceReclaimed: r.SpaceReclaimed ?? 0,
        };
      } catch (err) {
        throw toUserError(err);
      }
    },
  };
}
