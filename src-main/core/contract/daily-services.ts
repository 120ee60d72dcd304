import { z } from 'zod';
import { method } from './define.js';
import type { DirListing, ImageHistory, NetworkSummary, RegistryLogin } from './daily-types.js';
import type { PruneResult, StreamHandle } from './types.js';

/**
 * Contract sections for daily work: compose projects, networks, registries,
 * files in containers and volumes. Spread into `contract` in services.ts;
 * declared here so those features stay in one file.
 */
const id = z.string().min(1).max(256).regex(/^[A-Za-z0-9][A-Za-z0-9_.:@/-]*$/, 'expected a container, image or volume name or id');
const project = z.string().min(1).max(256).regex(/^[a-z0-9][a-z0-9_-]*$/, 'compose project names use lowercase letters, digits, _ and -');
const imageRef = z.string().min(1).max(512).regex(/^[a-z0-9][a-z0-9._\-/:@]*$/i, 'expected an image reference like registry:5000/team/app:1.0');
const absPath = z.string().min(1).max(4096).refine((p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p), 'expected an absolute path, e.g. /home/me/app')
  .refine((p) => !p.includes('\0'), 'paths cannot contain NUL');
const inPath = z.string().min(1).max(4096).startsWith('/', 'paths inside a container or volume start with /').refine((p) => !p.includes('\0'), 'paths cannot contain NUL');
const fileName = z.string().min(1).max(255).refine((n) => !n.includes('/') && n !== '.' && n !== '..' && !n.includes('\0'), 'a file name, without /');

export const fileTargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('container'), id }),
  z.object({ kind: z.literal('volume'), name: id }),
]);

export const buildOptionsSchema = z.object({
  /** A folder on this computer with a Dockerfile. */
  context: absPath,
  /** Relative to the context. */
  dockerfile: z.string().min(1).max(1024).default('Dockerfile').refine((p) => !p.startsWith('/') && !p.split(/[\\/]/).includes('..'), 'the Dockerfile path is relative to the folder and stays inside it'),
  tag: imageRef.optional(),
  noCache: z.boolean().default(false),
  buildArgs: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'build-arg names are letters, digits and _'), z.string()).default({}),
});
export type BuildOptions = z.input<typeof buildOptionsSchema>;

export const networkCreateSchema = z.object({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'network names use letters, digits, _ . -').max(128),
  driver: z.enum(['bridge', 'macvlan', 'ipvlan']).default('bridge'),
  subnet: z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, 'a subnet looks like 172.30.0.0/16').optional(),
  internal: z.boolean().default(false),
});

export const dailyContract = {
  compose: {
    start: method(project).returns<void>(),
    stop: method(project).returns<void>(),
    restart: method(project).returns<void>(),
    /** Removes the project's containers and networks; its volumes too when asked (`compose down -v`). */
    remove: method(project, z.object({ volumes: z.boolean().default(false) }).default({ volumes: false })).returns<{ containers: number; networks: number; volumes: number }>(),
    /** Merged logs of every service: one JSON line {s: service, c: container, t: time, m: text} per log line. */
    logs: method(project, z.object({ tail: z.number().int().min(0).max(10000).default(300) }).default({ tail: 300 })).returns<StreamHandle>(),
  },
  networks: {
    list: method().returns<NetworkSummary[]>(),
    create: method(networkCreateSchema).returns<NetworkSummary>(),
    remove: method(id).returns<void>(),
    prune: method().returns<PruneResult>(),
  },
  registry: {
    /** Checks the credentials with the registry (through the engine), then stores them as the docker CLI does. */
    login: method(z.object({
      server: z.string().min(1).max(512).regex(/^(https?:\/\/)?[A-Za-z0-9.-]+(:\d+)?(\/.*)?$/, 'a registry host like registry.example.com or localhost:5000'),
      username: z.string().min(1).max(512),
      password: z.string().min(1).max(16384),
    })).returns<RegistryLogin>(),
    logout: method(z.string().min(1).max(512)).returns<void>(),
    list: method().returns<RegistryLogin[]>(),
  },
  imageTools: {
    tag: method(imageRef, imageRef).returns<void>(),
    /** Progress arrives as 'job.progress' {kind:'push'} for the returned stream. Uses the stored credentials. */
    push: method(imageRef).returns<StreamHandle>(),
    history: method(id).returns<ImageHistory>(),
    /** BuildKit build of a folder; 'job.progress' {kind:'build'}. */
    build: method(buildOptionsSchema).returns<StreamHandle>(),
  },
  files: {
    list: method(fileTargetSchema, inPath).returns<DirListing>(),
    /** The file's bytes arrive base64-encoded as 'stream.data' (decode the concatenation at 'stream.end'). */
    download: method(fileTargetSchema, inPath).returns<StreamHandle & { name: string; size: number }>(),
    /**
     * Opens an upload of `size` bytes named `name` into directory `dir`: send the bytes base64-encoded
     * with streams.write (pieces of a multiple of 4 characters); 'stream.end' says it landed.
     */
    upload: method(fileTargetSchema, inPath, fileName, z.number().int().min(0).max(8 * 1024 ** 3)).returns<StreamHandle>(),
    /** Writes the volume's files as a tar at hostPath (on this computer); 'job.progress' {kind:'transfer'}. */
    exportVolume: method(id, absPath).returns<StreamHandle>(),
    /** Unpacks a tar from hostPath into the volume (created if missing); 'job.progress' {kind:'transfer'}. */
    importVolume: method(id, absPath).returns<StreamHandle>(),
  },
} as const;
