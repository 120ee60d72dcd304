import type { ContainerSummary } from '../../src-main/core/contract/index.js';
import { getApi } from '../ipc/index.js';
import { containersStore } from './resources.js';

export type ContainerAction = 'start' | 'stop' | 'restart' | 'pause' | 'unpause' | 'remove';

export const ACTION_LABELS: Record<ContainerAction, string> = {
  start: 'Start', stop: 'Stop', restart: 'Restart', pause: 'Pause', unpause: 'Unpause', remove: 'Delete',
};

/** Which actions make sense in a state, in display order. */
export function actionsFor(state: ContainerSummary['state']): ContainerAction[] {
  switch (state) {
    case 'running': return ['stop', 'restart', 'pause', 'remove'];
    case 'paused': return ['unpause', 'stop', 'remove'];
    case 'restarting': return ['stop', 'remove'];
    case 'removing': return [];
    default: return ['start', 'remove'];
  }
}

export async function containerAction(c: Pick<ContainerSummary, 'id' | 'state'>, action: ContainerAction): Promise<void> {
  const api = getApi().containers;
  try {
    if (action === 'remove') await api.remove(c.id, { force: c.state === 'running' || c.state === 'paused' || c.state === 'restarting' });
    else await api[action](c.id);
  } finally {
    // The core's invalidation does this too; asking again costs one debounced fetch.
    containersStore.invalidate();
  }
}
