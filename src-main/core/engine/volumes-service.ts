import type { ServiceImpl } from '../contract/define.js';
import type { Contract } from '../contract/services.js';
import type { VolumeSummary } from '../contract/types.js';
import { UserError } from '../errors.js';
import { nameResolver } from './names.js';
import type { EngineDeps } from './deps.js';
import { toUserError } from './errors.js';
import { toVolumeSummary, volumeUsageFromDf, type VolumeUsage } from './summaries.js';

export type VolumesService = ServiceImpl<Contract['volumes']>;

export function createVolumesService({ docker }: EngineDeps): VolumesService {
  /** Sizes come from /system/df, which can be slow or fail; then sizes are -1. */
  const usage = async (): Promise<Map<string, VolumeUsage>> => {
    try {
      return volumeUsageFromDf(await docker.df());
    } catch {
      return new Map();
    }
  };

  return {
    async list() {
      try {
        const [vols, containers, sizes] = await Promise.all([
          docker.listVolumes(),
          docker.listContainers({ all: true }),
          usage(),
        ]);
        return (vols.Volumes ?? [])
          .map((v) => toVolumeSummary(v as typeof v & { CreatedAt?: string }, sizes, containers))
          .sort((a, b) => a.name.localeCompare(b.name));
      } catch (err) {
        throw toUserError(err);
      }
    },

    async create(name) {
      try {
        const existing = await docker.getVolume(name).inspect().catch(() => undefined);
        if (existing) {
          // The engine silently returns an existing volume; say so instead.
          throw new UserError(`Volume '${name}' already exists.`, 'conflict');
        }
        const vol = await docker.createVolume({ Name: name });
        const info = await vol.inspect();
        const summary: VolumeSummary = toVolumeSummary(info as typeof info & { CreatedAt?: string }, new Map([[name, { size: 0 }]]), []);
        return summary;
      } catch (err) {
        throw toUserError(err, { kind: 'volume', ref: name });
      }
    },

    async remove(name) {
      try {
        await docker.getVolume(name).remove();
      } catch (err) {
        throw toUserError(err, { kind: 'volume', ref: name }, await nameResolver(docker));
      }
    },

    /**
     * Removes volumes no container uses, named ones included (`docker volume
     * prune --all`): since API 1.42 the engine otherwise removes only anonymous
     * volumes, and a "remove unused volumes" button that leaves them is a surprise.
     */
    async prune() {
      try {
        const r = await docker.pruneVolumes({ filters: { all: ['true'] } } as object);
        return { deleted: r.VolumesDeleted ?? [], spaceReclaimed: r.SpaceReclaimed ?? 0 };
      } catch (err) {
        throw toUserError(err);
      }
    },
  };
}
