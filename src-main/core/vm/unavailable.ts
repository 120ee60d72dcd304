import type { BackendName, VmState } from '../contract/types.js';
import type { SettingsKey } from '../contract/settings-schema.js';
import type { DataStoreInfo, EngineEndpoint, GuestShare, PortForwarder, VmBackend, VmRuntimeInfo } from './backend.js';
import type { OpenStream } from '../util/streams.js';
import { UserError } from '../errors.js';

/**
 * Stands in for a backend the settings name but this host cannot run. The
 * core still starts with it, shows the reason as the VM's error state and
 * keeps settings editable, so the user can switch out of the broken state.
 */
export class UnavailableBackend implements VmBackend {
  readonly restartKeys: readonly SettingsKey[] = [];
  readonly state: VmState;

  constructor(readonly name: BackendName, private readonly reason: string) {
    this.state = { state: 'error', reason };
  }

  private refuse(): never {
    throw new UserError(this.reason, 'backend-unavailable');
  }

  async start(): Promise<void> { this.refuse(); }
  async stop(): Promise<void> {}
  async reattach(): Promise<boolean> { return false; }
  async runtime(): Promise<VmRuntimeInfo> { return {}; }
  on(): () => void { return () => undefined; }
  portForwarder(): PortForwarder | undefined { return undefined; }
  async engineEndpoint(): Promise<EngineEndpoint | undefined> { return undefined; }
  guestShares(): GuestShare[] { return []; }
  async openShell(): Promise<OpenStream> { this.refuse(); }
  async dataStore(): Promise<DataStoreInfo> { return { location: 'none' }; }
}
