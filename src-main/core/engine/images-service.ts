import type { ServiceImpl } from '../contract/define.js';
import type { Contract } from '../contract/services.js';
import { nameResolver } from './names.js';
import type { EngineDeps } from './deps.js';
import { toUserError } from './errors.js';
import { startPull } from './pull.js';
import { toImageSummary } from './summaries.js';

export type ImagesService = ServiceImpl<Contract['images']>;

export function createImagesService({ docker, bus, streams }: EngineDeps): ImagesService {
  return {
    async list() {
      try {
        const [images, containers] = await Promise.all([
          docker.listImages({ all: false }),
          docker.listContainers({ all: true }),
        ]);
        return images.map((img) => toImageSummary(img, containers));
      } catch (err) {
        throw toUserError(err);
      }
    },

    pull: (ref) => startPull(docker, bus, streams, ref),

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
