import { createStore } from 'zustand/vanilla';
import type { BootProgress, EngineStatus, VmState } from '../../src-main/core/contract/index.js';
import { getApi, getTransport, onEvent } from '../ipc/index.js';
import { createResourceStore, invalidateAll, toErrorInfo, type ErrorInfo } from './resource-store.js';

/**
 * Engine status: fetched on 'invalidate engine', and patched live by the
 * 'vmState' and 'bootProgress' events so the status bar and the boot screen
 * move without a round trip.
 */
export const engineStore = createResourceStore<EngineStatus>({
  name: 'engine',
  topics: ['engine'],
  fetch: () => getApi().engine.status(),
});

export interface EngineLive {
  /** The latest vmState event (wins over a stale status fetch until the next fetch). */
  vm: VmState | undefined;
  boot: BootProgress | undefined;
  /** Milestones reached during this boot, in the order the guest reported them. */
  milestones: string[];
  /** An engine action (start/stop/restart) in flight. */
  action: 'start' | 'stop' | 'restart' | undefined;
  actionError: ErrorInfo | undefined;
}

export const engineLive = createStore<EngineLive>(() => ({ vm: undefined, boot: undefined, milestones: [], action: undefined, actionError: undefined }));

/** The VM state to show: the live event if newer than the last status fetch. */
export function currentVm(status: EngineStatus | undefined, live: EngineLive): VmState | undefined {
  return live.vm ?? status?.vm;
}

/** Subscribes the live events; returns an unsubscribe. Called once by the app shell (and by tests). */
export function connectEngineEvents(): () => void {
  const transport = getTransport();
  const offs = [
    onEvent(transport, 'vmState', (vm) => {
      const prev = engineLive.getState().vm?.state;
      engineLive.setState({ vm, ...(vm.state === 'starting' && prev !== 'starting' ? { boot: undefined, milestones: [] } : {}) });
      engineStore.invalidate();
      // Lists fetched while the engine was down hold errors: refetch them.
      if (vm.state === 'running' && prev !== 'running') invalidateAll();
    }),
    onEvent(transport, 'bootProgress', (boot) => {
      const seen = engineLive.getState().milestones;
      engineLive.setState({ boot, milestones: seen.includes(boot.milestone) ? seen : [...seen, boot.milestone] });
    }),
  ];
  // A status fetch is authoritative: drop the live override when one lands.
  const offStore = engineStore.store.subscribe((s, prev) => {
    if (s.data && s.data !== prev.data) engineLive.setState({ vm: undefined, ...(s.data.boot ? { boot: s.data.boot } : {}) });
  });
  return () => {
    for (const off of offs) off();
    offStore();
  };
}

export async function engineAction(action: 'start' | 'stop' | 'restart'): Promise<void> {
  engineLive.setState({ action, actionError: undefined });
  try {
    const api = getApi();
    const status = action === 'start' ? await api.engine.start() : action === 'stop' ? await api.engine.stop() : await api.engine.restart();
    engineStore.store.setState({ data: status, error: undefined, fetchedAt: Date.now() });
  } catch (err) {
    engineLive.setState({ actionError: toErrorInfo(err) });
  } finally {
    engineLive.setState({ action: undefined });
  }
}
