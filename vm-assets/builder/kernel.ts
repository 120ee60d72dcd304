import { createHash } from 'node:crypto';
import { copyFile, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { removeStaleTemps } from './cache.js';
import { BuildError, run } from './exec.js';
import type { GuestArch } from './manifest.js';
import type { Progress } from './progress.js';

/*
 * The guest kernel is compiled from Debian's linux-source package with the
 * config in vm-assets/kernel/: every driver and netfilter piece the guest uses
 * is built in (no modules, so no insmod/modprobe on the boot path and nothing
 * in the root image) and the image is xz-compressed. Compiling takes minutes,
 * so the result is cached under $WHARF_CACHE/kernels/<key>/ by source version,
 * config bytes and KERNEL_BUILD_VERSION, apart from the image: editing a guest
 * script never recompiles the kernel.
 */

/** Bump when the way the kernel is built changes for the same source and config. */
export const KERNEL_BUILD_VERSION = 1;

/** Compile steps ("CC", "LD", "AR" … lines) of a full build with the committed
 *  config, measured per architecture; only used to show a percentage while it runs. */
export const EXPECTED_BUILD_STEPS: Record<GuestArch, number> = { amd64: 2922, arm64: 2430 };

/** How kbuild is driven per guest architecture, and what it produces. */
export interface KernelTarget {
  /** make variables (ARCH, CROSS_COMPILE) for a cross build; none for a native one. */
  makeVars: string[];
  /** The make goal and the file it writes, relative to the source tree. */
  goal: string;
  output: string;
  /** The file name inside the image directory. */
  imageFile: string;
}

/**
 * amd64: a compressed bzImage (QEMU's -kernel reads it). arm64: the uncompressed
 * Image, which QEMU's virt machine boots directly and Virtualization.framework
 * requires; cross-compiled unless the build host is arm64 itself.
 */
export function kernelTarget(arch: GuestArch, hostArch: string = process.arch): KernelTarget {
  if (arch === 'amd64') {
    const cross = hostArch === 'x64' ? [] : ['ARCH=x86_64', 'CROSS_COMPILE=x86_64-linux-gnu-'];
    return { makeVars: cross, goal: 'bzImage', output: 'arch/x86/boot/bzImage', imageFile: 'vmlinuz' };
  }
  const cross = hostArch === 'arm64' ? ['ARCH=arm64'] : ['ARCH=arm64', 'CROSS_COMPILE=aarch64-linux-gnu-'];
  return { makeVars: cross, goal: 'Image', output: 'arch/arm64/boot/Image', imageFile: 'Image' };
}

export const kernelsDir = (cache: string): string => path.join(cache, 'kernels');

export function kernelKey(sourceVersion: string, config: Buffer | string, arch: GuestArch = 'amd64'): string {
  const h = createHash('sha256');
  // amd64 keys predate other architectures and stay as they were, so cached kernels stay valid.
  h.update(`wharf-kernel-v${KERNEL_BUILD_VERSION}\0${arch === 'amd64' ? '' : `${arch}\0`}${sourceVersion}\0`);
  h.update(config);
  return h.digest('hex').slice(0, 16);
}

/** Options the guest depends on that did not come out built in (=y). */
export function missingOptions(dotConfig: string, required: readonly string[]): string[] {
  const set = new Set(dotConfig.split('\n').filter((l) => l.endsWith('=y')).map((l) => l.slice('CONFIG_'.length, -2)));
  return required.filter((o) => !set.has(o));
}

/** A kbuild output line that stands for one unit of work ("  CC      kernel/fork.o"). */
export function isBuildStep(line: string): boolean {
  return /^\s{2}[A-Z][A-Z0-9_]{1,9}(\s\[M\])?\s+\S/.test(line);
}

export interface KernelBuild {
  /** The kernel file: vmlinuz (amd64) or Image (arm64). */
  file: string;
  release: string;
  sourcePackage: string;
  key: string;
}

interface KernelInput {
  arch: GuestArch;
  cache: string;
  deb: string;
  sourcePackage: string;
  sourceVersion: string;
  configFile: string;
  required: readonly string[];
  progress: Progress;
}

async function readMeta(dir: string, imageFile: string): Promise<KernelBuild | undefined> {
  try {
    const meta = JSON.parse(await readFile(path.join(dir, 'kernel.json'), 'utf8')) as Omit<KernelBuild, 'file'>;
    await stat(path.join(dir, imageFile));
    return { ...meta, file: path.join(dir, imageFile) };
  } catch {
    return undefined;
  }
}

/** Same bytes whoever builds it, and no host name in `uname -v`. */
const KBUILD_ENV = {
  ...process.env,
  LC_ALL: 'C',
  KBUILD_BUILD_USER: 'wharf',
  KBUILD_BUILD_HOST: 'wharf',
  KBUILD_BUILD_TIMESTAMP: 'Thu Jan  1 00:00:00 UTC 1970',
};

const make = (src: string, t: KernelTarget, args: readonly string[], onLine?: (line: string) => void) =>
  run('make', ['-C', src, ...t.makeVars, ...args], { env: KBUILD_ENV, capture: false, onLine });

async function findTarball(dir: string): Promise<string> {
  const src = path.join(dir, 'usr/src');
  const tar = (await readdir(src).catch(() => [] as string[])).find((f) => /^linux-source-.*\.tar\.(xz|bz2|gz)$/.test(f));
  if (!tar) throw new BuildError(`the kernel source package has no usr/src/linux-source-*.tar.*`);
  return path.join(src, tar);
}

/** Returns the cached kernel for this source and config, compiling it first if needed. */
export async function buildKernel(k: KernelInput): Promise<KernelBuild> {
  const config = await readFile(k.configFile);
  const key = kernelKey(k.sourceVersion, config, k.arch);
  const t = kernelTarget(k.arch);
  const dir = path.join(kernelsDir(k.cache), key);
  const cached = await readMeta(dir, t.imageFile);
  if (cached) {
    k.progress.phase(`Kernel ${cached.release} (${k.arch}) is up to date (${key})`);
    return cached;
  }

  const jobs = Math.max(1, os.availableParallelism());
  const expected = EXPECTED_BUILD_STEPS[k.arch];
  k.progress.phase(`Compiling the ${k.arch} kernel (${k.sourcePackage} ${k.sourceVersion}, ${jobs} jobs; cached afterwards)`, expected);
  await removeStaleTemps(kernelsDir(k.cache));
  const tmp = path.join(kernelsDir(k.cache), `.tmp-${key}-${process.pid}`);
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  try {
    await run('dpkg-deb', ['-x', k.deb, path.join(tmp, 'deb')]);
    await run('tar', ['-xf', await findTarball(path.join(tmp, 'deb')), '-C', tmp]);
    await rm(path.join(tmp, 'deb'), { recursive: true, force: true });
    const name = (await readdir(tmp)).find((f) => f.startsWith('linux-source-'));
    if (!name) throw new BuildError('the kernel source tarball has no linux-source-* directory');
    const src = path.join(tmp, name);

    await copyFile(k.configFile, path.join(src, '.config'));
    await make(src, t, ['olddefconfig']);
    const missing = missingOptions(await readFile(path.join(src, '.config'), 'utf8'), k.required);
    if (missing.length) {
      throw new BuildError(
        `the kernel config lacks options the guest needs (not =y after olddefconfig in ${k.sourcePackage} ${k.sourceVersion}): ` +
          `${missing.map((o) => `CONFIG_${o}`).join(', ')}. Edit ${k.configFile}.`,
      );
    }

    let steps = 0;
    await make(src, t, [`-j${jobs}`, t.goal], (line) => {
      // The estimate may be short; the bar waits at 99% rather than passing 100%.
      if (isBuildStep(line) && ++steps < expected) k.progress.tick(line.trim());
    });
    const { stdout } = await run('make', ['-s', '-C', src, ...t.makeVars, 'kernelrelease'], { env: KBUILD_ENV });
    const release = stdout.trim();

    const out = path.join(tmp, 'out');
    await mkdir(out);
    await copyFile(path.join(src, t.output), path.join(out, t.imageFile));
    // Debian's savedefconfig form is committed; the full config documents what ran.
    await copyFile(path.join(src, '.config'), path.join(out, 'config'));
    const meta = { release, arch: k.arch, sourcePackage: `${k.sourcePackage}=${k.sourceVersion}`, key, buildSteps: steps };
    await writeFile(path.join(out, 'kernel.json'), JSON.stringify(meta, null, 2) + '\n');
    await rm(dir, { recursive: true, force: true });
    await rename(out, dir);
    k.progress.info(`kernel ${release} (${k.arch}): ${steps} build steps`);
    return { ...meta, file: path.join(dir, t.imageFile) };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
