import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

/*
 * The manifest is the single description of the guest image (LinuxKit-style):
 * kernel, init, packages, files and services. Everything the builder does is
 * driven by it, and its bytes are part of the image hash.
 */

const debName = z.string().regex(/^[a-z0-9][a-z0-9+.-]+$/, 'not a Debian package name');
const relPath = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith('/') && !p.split('/').includes('..'), 'must be a relative path without ".."');

const aptSource = z.object({
  url: z.string().regex(/^https?:\/\/[^\s]+$/, 'must be an http(s) URL'),
  suites: z.array(z.string().regex(/^[a-z0-9-]+$/)).min(1),
  components: z.array(z.string().regex(/^[a-z0-9-]+$/)).default(['main']),
});

const service = z.object({
  name: z.string().regex(/^[a-z0-9-]+$/),
  /** busybox init action: respawn restarts it, once runs it once after sysinit. */
  action: z.enum(['respawn', 'once']),
  tty: z.string().regex(/^[a-z0-9]+$/).optional(),
  command: z.string().startsWith('/'),
});

/** Debian architecture names of the guests Wharf builds (QEMU: x86_64, aarch64). */
export const GUEST_ARCHES = ['amd64', 'arm64'] as const;
export type GuestArch = (typeof GUEST_ARCHES)[number];
const guestArch = z.enum(GUEST_ARCHES);
const kernelOption = z.string().regex(/^[A-Z0-9_]+$/, 'a kernel option without CONFIG_');
/** One value per guest architecture; every architecture the manifest names must have one. */
const perArch = <T extends z.ZodTypeAny>(v: T) => z.partialRecord(guestArch, v);

export const manifestSchema = z.object({
  name: z.string().min(1),
  /** The architectures this manifest builds; `vm:build --arch` picks among them. */
  arch: z.array(guestArch).min(1),
  sources: z.record(z.string().regex(/^[a-z0-9-]+$/), z.array(aptSource).min(1)),
  kernel: z.object({
    source: z.string(),
    /** Debian's kernel source package, compiled by the builder with `config`. */
    package: debName.refine((n) => n.startsWith('linux-source-'), 'must be a linux-source-* package'),
    /** Kernel config per architecture (savedefconfig form), relative to vm-assets/. */
    config: perArch(relPath),
    /** Options the guest depends on on every architecture: the build stops unless each is built in (=y). */
    require: z.array(kernelOption).min(1),
    /** Options only one architecture has or needs (its console, RTC, power button), checked the same way. */
    requireArch: perArch(z.array(kernelOption)).default({}),
  }),
  init: z.object({
    /** Executable copied to /init in the initrd. */
    script: relPath,
    sysinit: z.string().startsWith('/'),
    shutdown: z.string().startsWith('/'),
  }),
  packages: z.object({
    source: z.string(),
    install: z.array(debName).min(1),
    /** Pulled in by Depends but never needed at runtime (maintainer-script tooling). */
    exclude: z.array(debName).default([]),
  }),
  files: z.array(z.object({ source: relPath, target: z.string().startsWith('/') })).default([]),
  /** Freestanding C programs (vm-assets/builder/helpers.ts) compiled for the guest's architecture. */
  helpers: z.array(z.object({
    source: relPath.refine((p) => p.endsWith('.c'), 'must be a .c file'),
    target: z.string().startsWith('/'),
    /** A shared object for LD_PRELOAD instead of a program; it binds the libc it uses from the process it is loaded into. */
    preload: z.boolean().default(false),
  })).default([]),
  /** Symlinks that dpkg's maintainer scripts (update-alternatives) would have made. */
  links: z.record(relPath, z.string().min(1)).default({}),
  /** Paths removed from the root; `{triplet}` stands for the multiarch directory (x86_64-linux-gnu …). */
  strip: z.array(relPath).default([]),
  /**
   * Images of the other architecture: Debian's static qemu-user binaries, one per target,
   * registered with binfmt_misc at boot from Debian's binfmt definitions (qemu-user-binfmt).
   */
  emulation: z
    .object({
      source: z.string(),
      packages: z.array(debName).min(1),
      /** Guest architecture -> the qemu-user targets it carries (e.g. amd64: [aarch64]). */
      targets: perArch(z.array(z.string().regex(/^[a-z0-9_]+$/)).min(1)),
    })
    .optional(),
  services: z.array(service).default([]),
  output: z.object({
    rootfs: z.object({
      compression: z.enum(['none', 'lz4', 'zstd', 'xz', 'gzip']),
      level: z.number().int().min(1).max(22).optional(),
      blockSize: z.number().int().default(131072),
    }),
  }),
});

export type Manifest = z.infer<typeof manifestSchema>;

export class ManifestError extends Error {}

/** Parses and validates; errors name the path inside the manifest that is wrong. */
export function parseManifest(text: string, file = 'wharf.yml'): Manifest {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    throw new ManifestError(`${file}: not valid YAML: ${(e as Error).message}`);
  }
  const result = manifestSchema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ManifestError(`${file}: invalid manifest:\n${lines.join('\n')}`);
  }
  const m = result.data;
  for (const a of m.arch) {
    if (!m.kernel.config[a]) throw new ManifestError(`${file}: kernel.config has no entry for ${a} (arch lists it)`);
    if (m.emulation && !m.emulation.targets[a]) throw new ManifestError(`${file}: emulation.targets has no entry for ${a} (arch lists it)`);
  }
  for (const ref of [m.kernel.source, m.packages.source, ...(m.emulation ? [m.emulation.source] : [])]) {
    if (!m.sources[ref]) throw new ManifestError(`${file}: source "${ref}" is used but not defined under sources`);
  }
  const names = new Set<string>();
  for (const s of m.services) {
    if (names.has(s.name)) throw new ManifestError(`${file}: services: duplicate name "${s.name}"`);
    names.add(s.name);
  }
  for (const ex of m.packages.exclude) {
    if (m.packages.install.includes(ex)) throw new ManifestError(`${file}: packages: "${ex}" is both installed and excluded`);
  }
  return m;
}

export async function loadManifest(file: string): Promise<Manifest> {
  return parseManifest(await readFile(file, 'utf8'), file);
}

/** busybox init's /etc/inittab, generated so the manifest stays the one place services are named. */
export function renderInittab(m: Manifest): string {
  const lines = [
    '# Generated from vm-assets/wharf.yml by the builder; edit the manifest instead.',
    `::sysinit:${m.init.sysinit}`,
    ...m.services.map((s) => `${s.tty ?? ''}::${s.action}:${s.command}`),
    `::shutdown:${m.init.shutdown}`,
    '::ctrlaltdel:/sbin/poweroff',
  ];
  return lines.join('\n') + '\n';
}

/** sources.list lines for one named source set. */
export function renderSourcesList(m: Manifest, source: string, keyring: string): string {
  const entries = m.sources[source];
  if (!entries) throw new ManifestError(`unknown source "${source}"`);
  return entries
    .flatMap((e) => e.suites.map((s) => `deb [signed-by=${keyring}] ${e.url} ${s} ${e.components.join(' ')}`))
    .join('\n') + '\n';
}

/** Debian's multiarch triplet for a guest architecture (the usr/lib/<triplet> directory). */
export function multiarchTriplet(arch: GuestArch): string {
  return arch === 'amd64' ? 'x86_64-linux-gnu' : 'aarch64-linux-gnu';
}

/** The strip patterns for one architecture, `{triplet}` filled in. */
export function stripFor(m: Manifest, arch: GuestArch): string[] {
  return m.strip.map((p) => p.replaceAll('{triplet}', multiarchTriplet(arch)));
}

/** Every option one architecture's kernel must have built in. */
export function requiredKernelOptions(m: Manifest, arch: GuestArch): string[] {
  return [...m.kernel.require, ...(m.kernel.requireArch[arch] ?? [])];
}
