import type { ContainerSummary, ImageSummary, VolumeSummary } from '../../src-main/core/contract/index.js';
import { getApi } from '../ipc/index.js';
import { createResourceStore } from './resource-store.js';

export const containersStore = createResourceStore<ContainerSummary[]>({
  name: 'containers',
  topics: ['containers'],
  fetch: () => getApi().containers.list(),
});

/** Images show how many containers use them, so container changes refetch too. */
export const imagesStore = createResourceStore<ImageSummary[]>({
  name: 'images',
  topics: ['images', 'containers'],
  fetch: () => getApi().images.list(),
});

/** Volumes show which containers use them. */
export const volumesStore = createResourceStore<VolumeSummary[]>({
  name: 'volumes',
  topics: ['volumes', 'containers'],
  fetch: () => getApi().volumes.list(),
});
