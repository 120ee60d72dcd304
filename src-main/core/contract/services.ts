import { z } from 'zod';
import { method } from './define.js';
import { dailyContract } from './daily-services.js';
import { settingsPatchSchema, type Settings } from './settings-schema.js';
import type {
  ApplyPlan, ContainerStats, ContainerSummary, DiagnosticsResult, DockerContextInfo, EngineStatus, HostInfo,
  HostWideResources, HostWideWriteResult, ImageSummary, PruneResult, StreamHandle, VolumeSummary,
} from './types.js';

const id = z.string().min(1).max(256).regex(/^[A-Za-z0-9][A-Za-z0-9_.:@/-]*$/, 'expected a container, image or volume name or id');
const streamId = z.string().min(1).max(64);
/** Docker's rule for context names. */
const contextName = z.string().min(1).max(128).regex(/^[a-zA-Z0-9][a-zA-Z0-9_.+-]*$/, 'context names use letters, digits and _ . + -');

export const runOptionsSchema = z.object({
  image: id,
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'names may use letters, digits, _ . -').optional(),
  cmd: z.array(z.string()).optional(),
  env: z.array(z.string().regex(/^[^=]+=/, 'env entries look like KEY=value')).default([]),
  ports: z.array(z.object({
    hostIp: z.string().default('0.0.0.0'),
    hostPort: z.number().int().min(1).max(65535),
    containerPort: z.number().int().min(1).max(65535),
    protocol: z.enum(['tcp', 'udp']).default('tcp'),
  })).default([]),
  volumes: z.array(z.object({
    source: z.string().min(1),
    target: z.string().startsWith('/', 'container paths are absolute'),
    readOnly: z.boolean().default(false),
  })).default([]),
});
export type RunOptions = z.input<typeof runOptionsSchema>;

/**
 * Host-wide CPU and memory (a file other programs share). The values' ranges
 * are checked by the settings service, like every setting; `consent` must be
 * the literal true: without it nothing is written.
 */
export const hostWideWriteSchema = z.strictObject({
  cpus: z.number(),
  memory: z.number(),
  swap: z.number(),
  consent: z.literal(true, { error: () => 'consent must be true: this file is shared with other programs, so Wharf writes it only when the user agrees (the Resources tab\'s checkbox, or `wharf set --host-wide`)' }),
});

export const logOptionsSchema = z.object({
  follow: z.boolean().default(true),
  timestamps: z.boolean().default(false),
  tail: z.number().int().min(0).max(100000).default(1000),
});

/**
 * THE contract. Every transport (Electron IPC, control socket, dashboard
 * WebSocket) dispatches on these names, validates with these schemas, and
 * clients derive their types from here. Add a method here and nowhere else.
 */
export const contract = {
  engine: {
    status: method().returns<EngineStatus>(),
    start: method().returns<EngineStatus>(),
    stop: method().returns<EngineStatus>(),
    restart: method().returns<EngineStatus>(),
    /** Recent VM console and engine log lines. */
    logs: method(z.object({ lines: z.number().int().min(1).max(100000).default(500) }).default({ lines: 500 })).returns<string[]>(),
    /** Follows the VM console; data arrives on 'stream.data'. */
    followLogs: method().returns<StreamHandle>(),
  },
  containers: {
    list: method().returns<ContainerSummary[]>(),
    start: method(id).returns<void>(),
    stop: method(id).returns<void>(),
    restart: method(id).returns<void>(),
    pause: method(id).returns<void>(),
    unpause: method(id).returns<void>(),
    remove: method(id, z.object({ force: z.boolean().default(false) }).default({ force: false })).returns<void>(),
    inspect: method(id).returns<Record<string, unknown>>(),
    /** One stats sample for every running container. */
    stats: method().returns<ContainerStats[]>(),
    logs: method(id, logOptionsSchema.default({ follow: true, timestamps: false, tail: 1000 })).returns<StreamHandle>(),
    /** An interactive shell; write with streams.write, resize with streams.resize. */
    exec: method(id, z.array(z.string().min(1)).min(1).default(['sh'])).returns<StreamHandle>(),
    run: method(runOptionsSchema).returns<{ id: string }>(),
  },
  images: {
    list: method().returns<ImageSummary[]>(),
    /** Progress arrives as 'pull.progress' events keyed by the returned stream id. */
    pull: method(z.string().min(1).max(512).regex(/^[a-z0-9][a-z0-9._\-/:@]*$/i, 'expected an image reference like busybox:latest')).returns<StreamHandle>(),
    remove: method(id, z.object({ force: z.boolean().default(false) }).default({ force: false })).returns<void>(),
    pruneDangling: method().returns<PruneResult>(),
  },
  volumes: {
    list: method().returns<VolumeSummary[]>(),
    create: method(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]+$/, 'volume names use letters, digits, _ . - and are at least 2 characters')).returns<VolumeSummary>(),
    remove: method(id).returns<void>(),
    prune: method().returns<PruneResult>(),
  },
  vm: {
    host: method().returns<HostInfo>(),
    /** Opens a root shell in the VM (used by `wharf shell`). */
    shell: method().returns<StreamHandle>(),
  },
  settings: {
    get: method().returns<Settings>(),
    defaults: method().returns<Settings>(),
    /** Validates and persists; never applies by itself. */
    set: method(settingsPatchSchema).returns<{ settings: Settings; plan: ApplyPlan }>(),
    /** What applying the patch would restart, without saving it. */
    plan: method(settingsPatchSchema).returns<ApplyPlan>(),
    /** Restarts what the saved settings require. */
    apply: method().returns<EngineStatus>(),
    /** The saved backend's host-wide CPU and memory file, or null when its limits are its own. */
    hostWideResources: method().returns<HostWideResources | null>(),
    /** Writes CPUs, memory (MiB) and swap (MiB) there and saves them; only with consent: true. */
    writeHostWideResources: method(hostWideWriteSchema).returns<HostWideWriteResult & { settings: Settings }>(),
    /** Checks a daemon.json text: parse errors and unknown keys. */
    validateDaemonJson: method(z.string().max(1_000_000)).returns<{ ok: boolean; errors: string[] }>(),
  },
  diagnostics: {
    collect: method().returns<DiagnosticsResult>(),
    /** Removes containers, images and volumes; keeps settings. */
    cleanData: method(z.literal('confirm')).returns<void>(),
    /** Removes VM, disk, certificates, settings and the docker context. */
    factoryReset: method(z.literal('confirm')).returns<void>(),
  },
  /** Remote engines: the docker CLI's contexts; the views can show any of them. */
  contexts: {
    list: method().returns<DockerContextInfo[]>(),
    /** Points the containers, images and volumes views at this context's engine ("wharf" = the VM). */
    select: method(contextName).returns<DockerContextInfo>(),
    /** Pings a context's engine without selecting it. */
    check: method(contextName).returns<{ ok: true; version: string }>(),
  },
  streams: {
    write: method(streamId, z.string().max(1_000_000)).returns<void>(),
    resize: method(streamId, z.number().int().min(1).max(1000), z.number().int().min(1).max(1000)).returns<void>(),
    close: method(streamId).returns<void>(),
  },
  ...dailyContract,
} as const;

export type Contract = typeof contract;
