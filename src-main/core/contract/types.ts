/** Domain types that cross every transport. Plain JSON only: no classes, no Dates. */

export type VmStateName = 'stopped' | 'starting' | 'running' | 'stopping' | 'error';

export interface VmState {
  state: VmStateName;
  /** Set when state is 'error'. */
  reason?: string;
  /** 'stopped' by Resource Saver: the next docker command wakes it. */
  resourceSaver?: boolean;
}

export type Accelerator = 'kvm' | 'hvf' | 'whpx' | 'tcg';
export type BackendName = 'qemu' | 'wsl' | 'vz';
/** The setting: `auto` prefers virtio-fs and falls back to 9p where virtiofsd is missing. */
export type FileSharingSetting = 'auto' | 'virtiofs' | '9p';
/** What a running VM uses; `none` where the engine cannot share folders (QEMU on Windows). */
export type FileSharingMechanism = 'virtiofs' | '9p' | 'none';
/** The guest's architecture, in Debian's names (the image's). */
export type GuestArch = 'amd64' | 'arm64';

export interface BootProgress {
  /** Milestone the guest last reported, e.g. 'kernel', 'root', 'dockerd', 'ready'. */
  milestone: string;
  /** 0..1, from the milestones reached so far. */
  fraction: number;
  /** Wall seconds since start was requested. */
  elapsedSeconds: number;
}

export interface EngineStatus {
  vm: VmState;
  backend: BackendName;
  accelerator?: Accelerator;
  /** The running guest's architecture (amd64 or arm64). */
  guestArch?: GuestArch;
  /** How host folders reach the guest, and why that one. */
  fileSharing?: { mechanism: FileSharingMechanism; reason: string };
  /** Synchronized folders (Settings → File sharing), as the guest last reported them. */
  syncedShares?: SyncedShareStatus[];
  /** Host path of the docker socket (or named pipe on Windows). */
  socketPath: string;
  dockerContext: string;
  versions: { wharf: string; kernel?: string; docker?: string; containerd?: string; /** The backend's own tools, e.g. { qemu: '7.2.0' }. */ backend?: Record<string, string> };
  /** What the guest runs with; no disk size where the backend's disk just grows (WSL 2). */
  resources?: { cpus: number; memoryMiB: number; diskGiB?: number };
  /** RSS of the VM process on the host, in bytes. */
  vmHostMemoryBytes?: number;
  boot?: BootProgress;
  /** Notices the user should see, e.g. a recovered corrupt settings file. */
  notices: Notice[];
  resourceSaver?: ResourceSaverStatus;
  /** Set when the containers, images and volumes views show another engine (a docker context). */
  viewTarget?: { context: string; host: string };
}

/**
 * One synchronized folder. 'copying': the first sync is under way, and bind
 * mounts of it are refused until it is 'ready' (a container would see half a
 * tree). 'error': unison stopped; `reason` says why.
 */
export interface SyncedShareStatus {
  path: string;
  state: 'waiting' | 'copying' | 'ready' | 'error';
  /** Files in the copy when the first sync finished. */
  files?: number;
  /** Seconds the first sync took. */
  seconds?: number;
  reason?: string;
}

/** A docker CLI context, as the remote-engines view and `wharf context` list it. */
export interface DockerContextInfo {
  name: string;
  description: string;
  /** The endpoint: unix://, npipe://, tcp:// or ssh:// */
  host: string;
  /** 'wharf' is Wharf's own VM. */
  kind: 'wharf' | 'unix' | 'npipe' | 'tcp' | 'ssh' | 'unsupported';
  /** The context carries TLS material (CA, client certificate). */
  tls: boolean;
  /** The docker CLI's current context. */
  cliCurrent: boolean;
  /** The engine Wharf's containers, images and volumes views show. */
  viewed: boolean;
}

/** Resource Saver (Settings → Resources → Resource Saver). */
export interface ResourceSaverStatus {
  /** Idle minutes before the VM stops; 0 = off. */
  minutes: number;
  /** The VM is stopped by Resource Saver; the next docker command wakes it. */
  sleeping: boolean;
  /** When it last went to sleep (ms since epoch). */
  sleptAt?: number;
  /** Host memory the VM held just before it stopped (bytes). */
  memoryReturnedBytes?: number;
  /** How long the last wake took, from the waking connection to the engine answering (s). */
  lastWakeSeconds?: number;
  /** Idle since (ms since epoch) while awake and idle. */
  idleSince?: number;
}

/**
 * What a notice is about, so clients act on the code and only show the
 * message. Add a code here for a new kind of notice.
 */
export type NoticeCode =
  /** The settings file was recovered, migrated or could not be saved. */
  | 'settings'
  /** Saved settings this host cannot honour (CPUs, memory, an unavailable backend). */
  | 'host-fit'
  /** dockerd refused a new daemon.json; the previous one was restored. */
  | 'daemon-json-rejected'
  /** A published port could not be forwarded to the host. */
  | 'port-forward-failed'
  /** The VM's data disk is full. */
  | 'disk-full'
  /** dockerd stopped answering the health check. */
  | 'engine-not-answering'
  /** A shared folder holds more files than the file-sharing process may keep open. */
  | 'share-file-limit';

export interface Notice {
  code: NoticeCode;
  message: string;
}

export interface PortBinding {
  hostIp: string;
  hostPort: number;
  containerPort: number;
  protocol: 'tcp' | 'udp';
}

export interface ContainerSummary {
  id: string;
  name: string;
  image: string;
  state: 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';
  status: string;
  created: number;
  ports: PortBinding[];
  /** com.docker.compose.project label, for grouping. */
  composeProject?: string;
  composeService?: string;
  labels: Record<string, string>;
}

export interface ContainerStats {
  id: string;
  /** 0..100 × number of CPUs, as docker stats shows it. */
  cpuPercent: number;
  memoryBytes: number;
  memoryLimitBytes: number;
  /** Milliseconds since epoch when sampled. */
  at: number;
}

export interface ImageSummary {
  id: string;
  repoTags: string[];
  size: number;
  created: number;
  /** Number of containers (any state) using the image. */
  containers: number;
  dangling: boolean;
}

export interface VolumeSummary {
  name: string;
  driver: string;
  mountpoint: string;
  createdAt?: string;
  /** Bytes, or -1 when the engine does not report it. */
  size: number;
  /** Names of containers using the volume. */
  usedBy: string[];
  labels: Record<string, string>;
}

export interface PruneResult {
  deleted: string[];
  spaceReclaimed: number;
}

export interface PullProgress {
  ref: string;
  /** Per layer: id, status text, current/total bytes when known. */
  layers: Array<{ id: string; status: string; current?: number; total?: number }>;
  done: boolean;
  error?: string;
}

export interface StreamHandle {
  streamId: string;
}

export interface HostInfo {
  platform: 'linux' | 'darwin' | 'win32';
  cpus: number;
  memoryMiB: number;
  /** Backends and accelerators with whether this host can run them, and why not. */
  backends: Array<{ name: BackendName; label: string; available: boolean; reason?: string }>;
  accelerators: Array<{ name: Accelerator | 'auto'; label: string; available: boolean; reason?: string }>;
  virtiofsd?: string;
}

/**
 * CPU and memory limits a backend keeps in a host-wide file that other
 * programs share (Settings → Resources shows them; writing needs consent).
 */
export interface HostWideResources {
  file: string;
  exists: boolean;
  /** Who else the values apply to, in words for the user. */
  sharedWith: string;
  /** What the file sets now, as written there; absent = the backend's own default. */
  current: { cpus?: string; memory?: string; swap?: string };
  /** What the user must do for a change to take effect (Wharf does not restart what others use). */
  takesEffect: string;
}

export interface HostWideWriteResult {
  file: string;
  /** The copy of the file as it was before; absent when there was no file or nothing changed. */
  backup?: string;
  changed: boolean;
  /** The values as they now read in the file. */
  written: { cpus: string; memory: string; swap: string };
  takesEffect: string;
}

export interface DiagnosticsResult {
  archivePath: string;
  bytes: number;
  files: string[];
}

/** What a pending settings change will restart, shown before "Apply & restart". */
export interface ApplyPlan {
  changed: string[];
  restartsVm: boolean;
  restartsEngine: boolean;
  refused: Array<{ key: string; reason: string }>;
  /** What the user must know before applying, e.g. that a backend switch does not migrate data. */
  warnings?: string[];
}

export type Topic = 'containers' | 'images' | 'volumes' | 'engine' | 'settings' | 'networks';
