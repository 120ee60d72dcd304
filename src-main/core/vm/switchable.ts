import type { BackendName, VmState } from '../contract/types.js';
import type { SettingsKey } from '../contract/settings-schema.js';
import type { DataStoreInfo, EngineEndpoint, GuestShare, PortForwarder, VmBackend, VmBackendEvents, VmConfig, VmRuntimeInfo } from './backend.js';
import type { OpenStream, StreamRegistry } from '../util/streams.js';
import type { FileEventSink } from './file-events.js';
import type { HostPathMapper } from '../proxy/bind-paths.js';

type Listeners = { [E in keyof VmBackendEvents]: Set<VmBackendEvents[E]> };

/**
 * The one backend the rest of the core holds. It forwards to the backend the
 * settings chose and can be pointed at another one after that one stopped, so
 * listeners (engine control, port sync, the console log) survive a switch.
 */
export class SwitchableBackend implements VmBackend {
  private listeners: Listeners = { state: new Set(), progress: new Set(), console: new Set() };
  private unsubscribe: Array<() => void> = [];

  constructor(private current: VmBackend) {
    this.subscribe();
  }

  get name(): BackendName { return this.current.name; }
  get state(): VmState { return this.current.state; }
  get restartKeys(): readonly SettingsKey[] { return this.current.restartKeys; }
  get active(): VmBackend { return this.current; }

  /** Only between a stop and the next start: the old backend must be stopped already. */
  replace(next: VmBackend): void {
    for (const off of this.unsubscribe) off();
    this.current = next;
    this.subscribe();
    for (const fn of this.listeners.state) fn(next.state);
  }

  private subscribe(): void {
    this.unsubscribe = (Object.keys(this.listeners) as Array<keyof VmBackendEvents>).map((event) =>
      this.current.on(event, ((...args: unknown[]) => {
        for (const fn of this.listeners[event] as Set<(...a: unknown[]) => void>) fn(...args);
      }) as VmBackendEvents[typeof event]));
  }

  on<E extends keyof VmBackendEvents>(event: E, fn: VmBackendEvents[E]): () => void {
    (this.listeners[event] as Set<VmBackendEvents[E]>).add(fn);
    return () => (this.listeners[event] as Set<VmBackendEvents[E]>).delete(fn);
  }

  start(config: VmConfig): Promise<void> { return this.current.start(config); }
  stop(opts?: { timeoutMs?: number }): Promise<void> { return this.current.stop(opts); }
  reattach(): Promise<boolean> { return this.current.reattach(); }
  runtime(): Promise<VmRuntimeInfo> { return this.current.runtime(); }
  portForwarder(): PortForwarder | undefined { return this.current.portForwarder(); }
  engineEndpoint(): Promise<EngineEndpoint | undefined> { return this.current.engineEndpoint(); }
  guestShares(fileShares: string[]): GuestShare[] { return this.current.guestShares(fileShares); }
  openShell(streams: StreamRegistry): Promise<OpenStream> { return this.current.openShell(streams); }
  dataStore(): Promise<DataStoreInfo> { return this.current.dataStore(); }
  fileEvents(): FileEventSink | undefined { return this.current.fileEvents?.(); }
  hostPathMapper(): HostPathMapper | undefined { return this.current.hostPathMapper?.(); }
  async removeAll(): Promise<void> { await this.current.removeAll?.(); }
}
