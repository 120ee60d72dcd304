import type { Accelerator, BackendName, BootProgress, FileSharingMechanism, FileSharingSetting, GuestArch, HostWideResources, HostWideWriteResult, Notice, VmState } from '../contract/types.js';
import type { SettingsKey } from '../contract/settings-schema.js';
import type { OpenStream, StreamRegistry } from '../util/streams.js';
import type { FileEventSink } from './file-events.js';
import type { HostPathMapper } from '../proxy/bind-paths.js';
import type { TlsCipherPreference } from '../proxy/cipher-order.js';

/** What a backend needs to boot the guest. Paths are absolute. */
export interface VmConfig {
  cpus: number;
  memoryMiB: number;
  swapMiB: number;
  diskGiB: number;
  accelerator: Accelerator | 'auto';
  /** Host directories shared at the same path in the guest. */
  fileShares: string[];
  /** How to share them; absent means auto (virtio-fs where virtiofsd exists, else 9p). */
  fileSharing?: FileSharingSetting;
  /** The guest-config tar handed to the guest (certs, daemon.json, shares). */
  guestConfigTar: string;
}

export interface VmBackendEvents {
  state: (state: VmState) => void;
  progress: (progress: BootProgress) => void;
  /** A console line from the guest, for `wharf logs --follow`. */
  console: (line: string) => void;
}

export interface VmRuntimeInfo {
  accelerator?: Accelerator;
  /** Host loopback port forwarded to the guest's dockerd TLS port. */
  enginePort?: number;
  pid?: number;
  /** The backend's own tools, e.g. { qemu: '7.2.0' } or { wsl: '2.1.5', kernel: '5.15' }. */
  versions?: Record<string, string>;
  /** Resident memory of the VM process on the host. */
  hostMemoryBytes?: number;
  guestArch?: GuestArch;
  fileSharing?: { mechanism: FileSharingMechanism; reason: string };
  /**
   * What the guest really has, when that is not what Wharf's settings say
   * (WSL 2 takes CPUs and memory from .wslconfig, shared by every distro).
   */
  resources?: { cpus: number; memoryMiB: number };
  /** What the user should know about this backend's limits (shown in `wharf status` and the UI). */
  notices?: Notice[];
}

/**
 * One interface for qemu, wsl and vz. Lifecycle only: port forwards and the
 * engine are layered on top through `portForwarder()` and `runtime()`.
 */
export interface VmBackend {
  readonly name: BackendName;
  readonly state: VmState;
  start(config: VmConfig): Promise<void>;
  stop(opts?: { timeoutMs?: number }): Promise<void>;
  /** Attaches to a VM a previous host process left running; false when there is none. */
  reattach(): Promise<boolean>;
  runtime(): Promise<VmRuntimeInfo>;
  on<E extends keyof VmBackendEvents>(event: E, fn: VmBackendEvents[E]): () => void;
  portForwarder(): PortForwarder | undefined;
  /** Where host file changes go so inotify watchers in the guest see them; undefined when not running. */
  fileEvents?(): FileEventSink | undefined;
  /** Where the host reaches dockerd's TLS port once running; undefined while stopped. */
  engineEndpoint(): Promise<EngineEndpoint | undefined>;
  /** How each file share appears to the guest (tags and paths the guest config lists). */
  guestShares(fileShares: string[]): GuestShare[];
  /** A root shell in the guest, as a stream. */
  openShell(streams: StreamRegistry): Promise<OpenStream>;
  /** Where this backend keeps the engine's data (its own: never shared with another backend). */
  dataStore(): Promise<DataStoreInfo>;
  /** Host paths the guest sees elsewhere (Windows drives under WSL); undefined = the same paths. */
  hostPathMapper?(): HostPathMapper | undefined;
  /**
   * Factory reset, after stop: deletes what the backend keeps outside
   * WHARF_HOME (WSL's registered distros). Backends keeping all in WHARF_HOME omit it.
   */
  removeAll?(): Promise<void>;
  /** Settings whose change needs this backend's guest restarted. */
  readonly restartKeys: readonly SettingsKey[];
}

export interface EngineEndpoint {
  host: string;
  port: number;
  /**
   * The engine's own entry in the backend's port table, when it has one, so
   * port sync never reconciles it away.
   */
  reservedForward?: ForwardSpec;
  /** 'chacha20' when the guest CPU has no fast AES (software emulation): the host's TLS leg leads with it. */
  tlsCipherPreference?: TlsCipherPreference;
}

export interface GuestShare {
  tag: string;
  path: string;
}

export interface DataStoreInfo {
  /** A path or name the user can recognise (a disk image, a distro). */
  location: string;
  /** Size it was created with, when it exists; validation refuses shrinking below it. */
  sizeGiB?: number;
}

/** Whether this host can run a backend, and why not; shown in Settings. */
export interface BackendAvailability {
  available: boolean;
  reason?: string;
}

export interface ForwardSpec {
  protocol: 'tcp' | 'udp';
  hostIp: string;
  hostPort: number;
  guestPort: number;
}

export interface PortForwarder {
  add(spec: ForwardSpec): Promise<void>;
  remove(spec: ForwardSpec): Promise<void>;
  /** What the hypervisor forwards right now (for reconcile after a reattach). */
  list(): Promise<ForwardSpec[]>;
}

/** CPUs and memory (MiB) as a backend with host-wide limits takes them. */
export interface HostWideValues {
  cpus: number;
  memoryMiB: number;
  swapMiB: number;
}

/**
 * A backend whose CPU and memory limits are not its own but the host's, in a
 * file other programs use too (one VM shared by several distributions). Wharf
 * shows them, and changes them only with the user's consent.
 */
export interface HostWideResourcesControl {
  read(): Promise<HostWideResources>;
  /** Refuses without consent; keeps everything else in the file and leaves a backup of it. */
  write(values: HostWideValues, opts: { consent: boolean }): Promise<HostWideWriteResult>;
}
