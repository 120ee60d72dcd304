/** Types of the daily-work services (compose, networks, registries, files, builds). Plain JSON only. */
import type { PullProgress } from './types.js';

export interface NetworkSummary {
  id: string;
  name: string;
  driver: string;
  scope: string;
  internal: boolean;
  /** IPv4 subnets from the IPAM config, e.g. 172.18.0.0/16. */
  subnets: string[];
  created: string;
  /** bridge, host and none come with the engine and cannot be removed. */
  builtIn: boolean;
  /** Containers attached, by name, with their address on this network. */
  containers: Array<{ name: string; ipv4: string }>;
  labels: Record<string, string>;
}

export interface ImageLayer {
  /** Image id of the step, or '<missing>' for layers built elsewhere (as `docker history` shows). */
  id: string;
  createdBy: string;
  created: number;
  size: number;
  comment: string;
  tags: string[];
}

export interface ImageHistory {
  ref: string;
  id: string;
  /** Content digests of the filesystem layers, bottom first. */
  rootLayers: string[];
  steps: ImageLayer[];
  os: string;
  architecture: string;
}

/** One BuildKit vertex: a Dockerfile step or an internal one (load context, metadata). */
export interface BuildStep {
  digest: string;
  name: string;
  started?: number;
  completed?: number;
  cached: boolean;
  error?: string;
  /** Progress of transfers inside the step (context upload, layer export), bytes. */
  current?: number;
  total?: number;
}

export interface BuildProgress {
  tag?: string;
  steps: BuildStep[];
  /** The last lines of the steps' output (RUN stdout/stderr), newest last. */
  log: string[];
  done: boolean;
  imageId?: string;
  error?: string;
}

export interface TransferProgress {
  /** What moves: 'export' and 'import' of volumes. */
  what: 'export' | 'import';
  bytes: number;
  total?: number;
  done: boolean;
  error?: string;
}

/** Progress of long jobs other than pulls, keyed by the stream id their call returned. */
export type JobProgress =
  | { kind: 'push'; push: PullProgress }
  | { kind: 'build'; build: BuildProgress }
  | { kind: 'transfer'; transfer: TransferProgress };

export interface RegistryLogin {
  /** The key the docker CLI uses: a host[:port], or https://index.docker.io/v1/ for Docker Hub. */
  server: string;
  username: string;
  /** Where the secret is kept: 'config' (config.json auths) or the credential helper's name. */
  store: string;
}

export type FileEntryType = 'file' | 'dir' | 'symlink' | 'other';

export interface FileEntry {
  name: string;
  type: FileEntryType;
  size: number;
  mode: number;
  /** Seconds since epoch. */
  mtime: number;
  linkTarget?: string;
}

export interface DirListing {
  path: string;
  entries: FileEntry[];
  /** The listing stopped early (a very large directory tree); some entries may be missing. */
  truncated: boolean;
}

/** What a file browser looks into. Volumes are read through a stopped helper container. */
export type FileTarget = { kind: 'container'; id: string } | { kind: 'volume'; name: string };
