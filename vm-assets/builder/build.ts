/**
 * `npm run vm:build`: builds the guest image described by vm-assets/wharf.yml
 * into $WHARF_CACHE/images/<hash>/ from Debian packages, without installing
 * anything on the host. Usage: build.ts [--arch amd64|arm64|all] [--force] [--cache DIR]
 * (default: the host's architecture; packaging builds `all`).
 */
import { copyFile, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AptRoot, type Pkg } from './apt.js';
import { aptDir, debsDir, hostToolsAptDir, defaultCacheDir, hostGuestArch, imageDir, imageFiles, imagesDir, kernelFileName, removeStaleTemps } from './cache.js';
import { BuildError, crossTools, HOST_TOOLS, onPath, requireHostTools, run } from './exec.js';
import { BUILDER_VERSION, imageHash, MANIFEST_RELATIVE } from './hash.js';
import { packInitrd, stageInitrd } from './initrd.js';
import {
  GUEST_ARCHES, loadManifest, ManifestError, multiarchTriplet, renderInittab, requiredKernelOptions, stripFor, type GuestArch, type Manifest,
} from './manifest.js';
import { installEmulators } from './emulation.js';
import { compileHelpers } from './helpers.js';
import { buildKernel, type KernelBuild } from './kernel.js';
import { Progress } from './progress.js';
import {
  addLinks, busyboxLinks, copyTree, extractDebs, filesUnder, mergeUsr, missingLibraries, strip, writeRootFile,
} from './rootfs.js';
import { makeSquashfs } from './squashfs.js';
import { upstreamVersion } from './versions.js';
import { WSL_DATA, WSL_ROOTFS, writeWslTarballs } from './wsl-tarballs.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PHASES = 10;
/** Mount points and state dirs no package ships (base-files would have). */
const SKELETON = ['dev', 'proc', 'sys', 'run', 'tmp', 'root', 'mnt', 'data', 'etc/docker', 'var/lib', 'var/log', 'var/tmp'];

interface Args {
  force: boolean;
  cache: string;
  /** 'all' = every architecture the manifest names. */
  arch: GuestArch | 'all';
  /** Only the WSL 2 distros: no kernel compile, no initrd, no squashfs. */
  wslOnly: boolean;
}

const USAGE = 'usage: vm:build [--arch amd64|arm64|all] [--force] [--wsl-only] [--cache DIR]';

export function parseArgs(argv: readonly string[], hostArch: string = process.arch): Args {
  const a: Args = { force: false, cache: defaultCacheDir(), arch: hostGuestArch(hostArch), wslOnly: false };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i]!;
    const eq = v.startsWith('--arch=') ? v.slice('--arch='.length) : undefined;
    if (v === '--force') a.force = true;
    else if (v === '--wsl-only') a.wslOnly = true;
    else if (v === '--cache' && argv[i + 1]) a.cache = path.resolve(argv[++i]!);
    else if (eq !== undefined || (v === '--arch' && argv[i + 1])) {
      const want = eq ?? argv[++i]!;
      if (want !== 'all' && !(GUEST_ARCHES as readonly string[]).includes(want)) {
        throw new BuildError(`--arch ${want}: not an architecture Wharf builds (amd64, arm64 or all)`);
      }
      a.arch = want as Args['arch'];
    } else throw new BuildError(`unknown argument ${v} (${USAGE})`);
  }
  return a;
}

const MiB = (n: number): string => `${(n / 1048576).toFixed(1)} MiB`;

async function printSizes(dir: string, arch: GuestArch): Promise<void> {
  let total = 0;
  for (const f of imageFiles(arch).slice(0, 3)) {
    const size = (await stat(path.join(dir, f))).size;
    total += size;
    process.stderr.write(`  ${f.padEnd(16)} ${MiB(size).padStart(10)}\n`);
  }
  process.stderr.write(`  ${'total on disk'.padEnd(16)} ${MiB(total).padStart(10)}  (compressed sizes: npm run bench)\n`);
}

interface Fetched {
  user: Map<string, string>;
  userPkgs: Pkg[];
  kernelDeb: string;
  kernelPkg: Pkg;
  emulators: string[];
  userApt: AptRoot;
}

async function fetchPackages(m: Manifest, arch: GuestArch, cache: string, p: Progress): Promise<Fetched> {
  p.phase(`Refreshing package lists (${arch})`, 2);
  const userApt = new AptRoot(aptDir(cache, m.packages.source, arch), arch);
  // linux-source is arch: all; it comes from the same per-arch root as everything else.
  const kernelApt = m.kernel.source === m.packages.source ? userApt : new AptRoot(aptDir(cache, m.kernel.source, arch), arch);
  for (const [apt, src] of [[userApt, m.packages.source], [kernelApt, m.kernel.source]] as const) {
    await apt.init(m, src);
    if ((await apt.update()) === 'stale') p.info(`offline: using cached package lists for ${src}`);
    p.tick(src);
  }

  p.phase('Resolving dependencies');
  const resolved = await userApt.resolve(m.packages.install);
  const userPkgs = resolved.filter((x) => !m.packages.exclude.includes(x.name));
  const kernelPkg = (await kernelApt.resolve([m.kernel.package])).find((x) => x.name === m.kernel.package);
  if (!kernelPkg) throw new BuildError(`${m.kernel.package} is not in ${m.kernel.source}`);
  p.info(`${userPkgs.length} packages (${resolved.length - userPkgs.length} excluded) + ${kernelPkg.name} ${kernelPkg.version}`);

  const emuPkgs = m.emulation ? await userApt.resolve(m.emulation.packages) : [];

  p.phase('Downloading packages', userPkgs.length + 1 + emuPkgs.length);
  const user = await userApt.download(userPkgs, debsDir(cache), (x) => p.tick(x.name));
  const k = await kernelApt.download([kernelPkg], debsDir(cache), (x) => p.tick(x.name));
  const emu = await userApt.download(emuPkgs, debsDir(cache), (x) => p.tick(x.name));
  return { user, userPkgs, kernelDeb: k.get(kernelPkg.name)!, kernelPkg, emulators: [...emu.values()], userApt };
}

/**
 * busybox --list-full names the applet links. The guest's busybox only runs on a host
 * of its architecture, so a cross build asks the host architecture's busybox-static of
 * the same source for the list (the applet set is per version, not per architecture).
 */
async function appletLister(m: Manifest, arch: GuestArch, root: string, cache: string, tmp: string, p: Progress): Promise<string> {
  const host = hostGuestArch();
  if (host === arch) return path.join(root, 'usr/bin/busybox');
  const apt = new AptRoot(hostToolsAptDir(cache, m.packages.source, host), host);
  await apt.init(m, m.packages.source);
  if ((await apt.update()) === 'stale') p.info(`offline: using cached package lists for ${m.packages.source} (${host})`);
  const [bb] = (await apt.resolve(['busybox-static'])).filter((x) => x.name === 'busybox-static');
  if (!bb) throw new BuildError(`busybox-static is not in ${m.packages.source} for ${host}`);
  const deb = (await apt.download([bb], debsDir(cache), () => {})).get(bb.name)!;
  const dir = path.join(tmp, 'host-busybox');
  await run('dpkg-deb', ['-x', deb, dir]);
  return path.join(dir, 'usr/bin/busybox');
}

/** The guest's root tree from the packages and guest/root (shared by the VM image and the WSL distros); returns the emulated targets. */
async function assembleRoot(
  m: Manifest, arch: GuestArch, pkgs: Fetched, root: string, cache: string, tmp: string, p: Progress, o: { hash: string; kernelVersion: string },
): Promise<string[]> {
  const { hash, kernelVersion } = o;
  p.phase('Extracting packages', pkgs.user.size);
  await extractDebs([...pkgs.user.values()], root, (d) => p.tick(d));

  p.phase('Assembling the root filesystem', 6);
  await mergeUsr(root);
  p.tick('merged /usr');
  const removed = await strip(root, stripFor(m, arch));
  p.tick(`stripped ${removed} paths`);
  const emulated = m.emulation ? await installEmulators(pkgs.emulators, m.emulation.targets[arch]!, root, path.join(tmp, 'emulation')) : [];
  p.tick(`binfmt handlers: ${emulated.join(', ') || 'none'}`);
  const applets = await busyboxLinks(root, await appletLister(m, arch, root, cache, tmp, p));
  await addLinks(root, m.links);
  for (const d of SKELETON) await mkdir(path.join(root, d), { recursive: true });
  p.tick(`${applets} busybox applets`);
  for (const f of m.files) await copyTree(path.join(REPO_ROOT, 'vm-assets', f.source), path.join(root, f.target));
  await compileHelpers(m.helpers, arch, path.join(REPO_ROOT, 'vm-assets'), root);
  await writeRootFile(root, 'etc/inittab', renderInittab(m));
  // Everything is built into the kernel. dockerd still runs `modprobe br_netfilter`
  // and friends; an empty module tree lets busybox modprobe answer quietly.
  await writeRootFile(root, `usr/lib/modules/${kernelVersion}/modules.dep`, '');
  p.tick('guest files');
  // Libraries and iptables' dlopen()ed extensions count too: a stripped dependency
  // of those would only show when docker first touches iptables.
  const triplet = multiarchTriplet(arch);
  const elfDirs = ['usr/bin', 'usr/sbin', `usr/lib/${triplet}`, `usr/lib/${triplet}/xtables`];
  if (!(await onPath('readelf'))) p.info('readelf not found (binutils): skipping the shared-library check');
  const missing = await missingLibraries(root, await filesUnder(root, elfDirs), triplet);
  if (missing.length) throw new BuildError(`the image would not run:\n  ${missing.join('\n  ')}`);
  p.tick('shared libraries complete');
  await writeRootFile(root, 'etc/wharf-release', JSON.stringify({ hash, arch, kernelVersion }) + '\n');
  return emulated;
}

async function build(m: Manifest, arch: GuestArch, hash: string, cache: string): Promise<void> {
  const p = new Progress(PHASES);
  p.phase(`Checking host tools (${arch} guest)`);
  await requireHostTools({ ...HOST_TOOLS, ...crossTools(arch) });
  await mkdir(imagesDir(cache), { recursive: true });
  await removeStaleTemps(imagesDir(cache));
  const tmp = path.join(imagesDir(cache), `.tmp-${hash}-${process.pid}`);
  await rm(tmp, { recursive: true, force: true });
  const root = path.join(tmp, 'root');
  const out = path.join(tmp, 'out');
  await mkdir(out, { recursive: true });
  try {
    const pkgs = await fetchPackages(m, arch, cache, p);

    const kernel: KernelBuild = await buildKernel({
      arch,
      cache,
      deb: pkgs.kernelDeb,
      sourcePackage: pkgs.kernelPkg.name,
      sourceVersion: pkgs.kernelPkg.version,
      configFile: path.join(REPO_ROOT, 'vm-assets', m.kernel.config[arch]!),
      required: requiredKernelOptions(m, arch),
      progress: p,
    });
    await copyFile(kernel.file, path.join(out, kernelFileName(arch)));
    const kernelVersion = kernel.release;

    const emulated = await assembleRoot(m, arch, pkgs, root, cache, tmp, p, { hash, kernelVersion });

    p.phase('Building the initrd');
    await stageInitrd({
      dir: path.join(tmp, 'initrd'),
      initScript: path.join(REPO_ROOT, 'vm-assets', m.init.script),
      busybox: path.join(root, 'usr/bin/busybox'),
    });
    await packInitrd(path.join(tmp, 'initrd'), path.join(out, 'initrd.img'));

    p.phase(`Writing the root filesystem (squashfs, compression: ${m.output.rootfs.compression})`);
    await p.during(makeSquashfs(root, path.join(out, 'rootfs.squashfs'), m.output.rootfs));
    await p.during(writeWslTarballs(root, out, tmp));

    p.phase('Finishing');
    const version = (name: string): string => pkgs.userPkgs.find((x) => x.name === name)?.version ?? 'unknown';
    const sizes: Record<string, number> = {};
    for (const f of [...imageFiles(arch).slice(0, 3), WSL_ROOTFS, WSL_DATA]) sizes[f] = (await stat(path.join(out, f))).size;
    const meta = {
      hash,
      arch,
      kernelFile: kernelFileName(arch),
      emulates: emulated,
      builderVersion: BUILDER_VERSION,
      createdAt: new Date().toISOString(),
      kernelVersion,
      kernelSource: kernel.sourcePackage,
      kernelKey: kernel.key,
      dockerVersion: upstreamVersion(version('docker.io')),
      containerdVersion: upstreamVersion(version('containerd')),
      runcVersion: upstreamVersion(version('runc')),
      sizes,
      packages: pkgs.userPkgs.map((x) => `${x.name}=${x.version}`),
    };
    await writeFile(path.join(out, 'image.json'), JSON.stringify(meta, null, 2) + '\n');
    const final = imageDir(cache, hash);
    await rm(final, { recursive: true, force: true });
    await rename(out, final);
    p.finish(`Built ${final} (${arch})`);
    await printSizes(final, arch);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/**
 * The WSL 2 distros alone, into the same images/<hash>/ (a later full build
 * replaces the directory with everything). WSL brings its own kernel, so this
 * needs no kernel compile.
 */
async function buildWslOnly(m: Manifest, arch: GuestArch, hash: string, cache: string): Promise<void> {
  const p = new Progress(6);
  p.phase(`Checking host tools (${arch})`);
  // No kernel here, but the guest helpers are still compiled for the distro's architecture.
  await requireHostTools({ ...HOST_TOOLS, ...crossTools(arch) });
  await mkdir(imagesDir(cache), { recursive: true });
  await removeStaleTemps(imagesDir(cache));
  const tmp = path.join(imagesDir(cache), `.tmp-${hash}-${process.pid}`);
  await rm(tmp, { recursive: true, force: true });
  const root = path.join(tmp, 'root');
  const out = path.join(tmp, 'out');
  await mkdir(out, { recursive: true });
  try {
    const pkgs = await fetchPackages(m, arch, cache, p);
    await assembleRoot(m, arch, pkgs, root, cache, tmp, p, { hash, kernelVersion: 'wsl' });
    await p.during(writeWslTarballs(root, out, tmp));
    const final = imageDir(cache, hash);
    await mkdir(final, { recursive: true });
    for (const f of [WSL_ROOTFS, WSL_DATA]) await rename(path.join(out, f), path.join(final, f));
    p.finish(`Built the WSL 2 distros in ${final}`);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const m = await loadManifest(path.join(REPO_ROOT, MANIFEST_RELATIVE));
  const arches = args.arch === 'all' ? m.arch : [args.arch];
  for (const arch of arches) {
    if (!m.arch.includes(arch)) throw new BuildError(`${MANIFEST_RELATIVE} does not list ${arch} under arch (it builds ${m.arch.join(', ')})`);
    const hash = await imageHash(REPO_ROOT, arch);
    const dir = imageDir(args.cache, hash);
    if (args.wslOnly) {
      const have = await stat(path.join(dir, WSL_DATA)).then(() => true, () => false);
      if (have && !args.force) { process.stderr.write(`WSL 2 distros ${hash} (${arch}) are up to date: ${dir}\n`); continue; }
      await buildWslOnly(m, arch, hash, args.cache);
      continue;
    }
    const done = await stat(path.join(dir, 'image.json')).then(() => true, () => false);
    if (done && !args.force) {
      process.stderr.write(`VM image ${hash} (${arch}) is up to date: ${dir}\n`);
      await printSizes(dir, arch);
      continue;
    }
    await build(m, arch, hash, args.cache);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main().catch((e: unknown) => {
  const known = e instanceof BuildError || e instanceof ManifestError;
  process.stderr.write(`\nvm:build failed: ${known ? (e as Error).message : (e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
