import type { ContainerSummary, ImageSummary, NetworkSummary, RegistryLogin, VolumeSummary } from '../../src-main/core/contract/index.js';
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

/** Networks show the containers attached to them. */
export const networksStore = createResourceStore<NetworkSummary[]>({
  name: 'networks',
  topics: ['networks', 'containers'],
  fetch: () => getApi().networks.list(),
});

/** Registries signed in to (the docker CLI's credentials); refreshed after sign-in and sign-out. */
export const registryLoginsStore = createResourceStore<RegistryLogin[]>({
  name: 'registry-logins',
  topics: [],
  fetch: () => getApi().registry.list(),
});
