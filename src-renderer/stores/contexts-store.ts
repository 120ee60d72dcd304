import type { DockerContextInfo } from '../../src-main/core/contract/index.js';
import { getApi } from '../ipc/index.js';
import { createResourceStore } from './resource-store.js';

/** The docker CLI's contexts; selecting one invalidates 'engine', which refetches this. */
export const contextsStore = createResourceStore<DockerContextInfo[]>({
  name: 'contexts',
  topics: ['engine'],
  fetch: () => getApi().contexts.list(),
});
