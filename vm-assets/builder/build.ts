/**
 * `npm run vm:build`: builds the guest image described by vm-assets/wharf.yml
 * into $WHARF_CACHE/images/<hash>/ from Debian packages, without installing
 * anything on the host. Usage: build.ts [--force] [--cache DIR]
 */
import { copyFile, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AptRoot, type Pkg } from './apt.js';
import { aptDir, debsDir, defaultCacheDir, imageDir, imagesDir, removeStaleTemps } from './cache.js';
import { BuildError, onPath, requireHostTools } from './exec.js';
import { BUILDER_VERSION, imageHash, MANIFEST_RELATIVE } from './hash.js';
import { packInitrd, stageInitrd } from './initrd.js';
import { loadManifest, ManifestError, renderInittab, type Manifest } from './manifest.js';
import { buildKernel, type KernelBuild } from './kernel.js';
import { Progress } from './progress.js';
import {
  addLinks, busyboxLinks, copyTree, extractDebs, filesUnder, mergeUsr, missingLibraries, strip, writeRootFile,
} from './rootfs.js';
import { makeSquashfs } from './squashfs.js';
import { WSL_DATA, WSL_ROOTFS, writeWslTarballs } from './wsl-tarballs.js';
import { upstreamVersion } from './versions.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PHASES = 10;
/** Mount points and state dirs no package ships (base-files would have). */
const SKELETON = ['dev', 'proc', 'sys', 'run', 'tmp', 'root', 'mnt', 'data', 'etc/docker', 'var/lib', 'var/log', 'var/tmp'];

interface Args {
  force: boolean;
  cache: string;
  /** Only the WSL 2 distros: no kernel compile, no initrd, no squashfs. */
  wslOnly: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  const a: Args = { force: false, cache: defaultCacheDir(), wslOnly: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--force') a.force = true;
    else if (argv[i] === '--wsl-only') a.wslOnly = true;
    else if (argv[i] === '--cache' && argv[i + 1]) a.cache = path.resolve(argv[++i]!);
    else throw new BuildError(`unknown argument ${argv[i]} (usage: vm:build [--force] [--wsl-only] [--cache DIR])`);
  }
  return a;
}

const MiB = (n: number): string => `${(n / 1048576).toFixed(1)} MiB`;

async function printSizes(dir: string): Promise<void> {
  let total = 0;
  for (const f of ['vmlinuz', 'initrd.img', 'rootfs.squashfs']) {
    const size = (await stat(path.join(dir, f))).size;
    total += size;
    process.stderr.write(`  ${f.padEnd(16)} ${MiB(size).padStart(10)}\n`);
  }
  process.stderr.write(`  ${'total on disk'.padEnd(16)} ${MiB(total).padStart(10)}  (compressed sizes: npm run bench)\n`);
}

async function fetchPackages(m: Manifest, cache: string, p: Progress): Promise<{ user: Map<string, string>; userPkgs: Pkg[]; kernelDeb: string; kernelPkg: Pkg }> {
  p.phase('Refreshing package lists', 2);
  const userApt = new AptRoot(aptDir(cache, m.packages.source), m.arch);
  const kernelApt = m.kernel.source === m.packages.source ? userApt : new AptRoot(aptDir(cache, m.kernel.source), m.arch);
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

  p.phase('Downloading packages', userPkgs.length + 1);
  const user = await userApt.download(userPkgs, debsDir(cache), (x) => p.tick(x.name));
  const k = await kernelApt.download([kernelPkg], debsDir(cache), (x) => p.tick(x.name));
  return { user, userPkgs, kernelDeb: k.get(kernelPkg.name)!, kernelPkg };
}

/** The guest's root tree from the packages and guest/root (shared by the VM image and the WSL distros). */
async function assembleRoot(m: Manifest, debs: Map<string, string>, root: string, p: Progress, o: { hash: string; kernelVersion: string }): Promise<void> {
  const { hash, kernelVersion } = o;
  p.phase('Extracting packages', debs.size);
  await extractDebs([...debs.values()], root, (d) => p.tick(d));

  p.phase('Assembling the root filesystem', 5);
  await mergeUsr(root);
  p.tick('merged /usr');
  const removed = await strip(root, m.strip);
  p.tick(`stripped ${removed} paths`);
  const applets = await busyboxLinks(root);
  await addLinks(root, m.links);
  for (const d of SKELETON) await mkdir(path.join(root, d), { recursive: true });
  p.tick(`${applets} busybox applets`);
  for (const f of m.files) await copyTree(path.join(REPO_ROOT, 'vm-assets', f.source), path.join(root, f.target));
  await writeRootFile(root, 'etc/inittab', renderInittab(m));
  // Everything is built into the kernel. dockerd still runs `modprobe br_netfilter`
  // and friends; an empty module tree lets busybox modprobe answer quietly.
  await writeRootFile(root, `usr/lib/modules/${kernelVersion}/modules.dep`, '');
  p.tick('guest files');
  // Libraries and iptables' dlopen()ed extensions count too: a stripped dependency
  // of those would only show when docker first touches iptables.
  const elfDirs = ['usr/bin', 'usr/sbin', 'usr/lib/x86_64-linux-gnu', 'usr/lib/x86_64-linux-gnu/xtables'];
  if (!(await onPath('readelf'))) p.info('readelf not found (binutils): skipping the shared-library check');
  const missing = await missingLibraries(root, await filesUnder(root, elfDirs));
  if (missing.length) throw new BuildError(`the image would not run:\n  ${missing.join('\n  ')}`);
  p.tick('shared libraries complete');
  await writeRootFile(root, 'etc/wharf-release', JSON.stringify({ hash, kernelVersion }) + '\n');
}

async function build(m: Manifest, hash: string, cache: string): Promise<void> {
  const p = new Progress(PHASES);
  p.phase('Checking host tools');
  await requireHostTools();
  await mkdir(imagesDir(cache), { recursive: true });
  await removeStaleTemps(imagesDir(cache));
  const tmp = path.join(imagesDir(cache), `.tmp-${hash}-${process.pid}`);
  await rm(tmp, { recursive: true, force: true });
  const root = path.join(tmp, 'root');
  const out = path.join(tmp, 'out');
  await mkdir(out, { recursive: true });
  try {
    const pkgs = await fetchPackages(m, cache, p);

    const kernel: KernelBuild = await buildKernel({
      cache,
      deb: pkgs.kernelDeb,
      sourcePackage: pkgs.kernelPkg.name,
      sourceVersion: pkgs.kernelPkg.version,
      configFile: path.join(REPO_ROOT, 'vm-assets', m.kernel.config),
      required: m.kernel.require,
      progress: p,
    });
    await copyFile(kernel.vmlinuz, path.join(out, 'vmlinuz'));
    const kernelVersion = kernel.release;

    await assembleRoot(m, pkgs.user, root, p, { hash, kernelVersion });

    p.phase('Building the initrd');
    await stageInitrd({
      dir: path.join(tmp, 'initrd'),
      initScript: path.join(REPO_ROOT, 'vm-assets', m.init.script),
      busybox: path.join(root, 'usr/bin/busybox'),
    });
    await packInitrd(path.join(tmp, 'initrd'), path.join(out, 'initrd.img'));

    p.phase(`Writing the root filesystem (squashfs, compression: ${m.output.rootfs.compression})`);
    await p.during(makeSquashfs(root, path.join(out, 'rootfs.squashfs'), m.output.rootfs));

    p.phase('Finishing');
    await p.during(writeWslTarballs(root, out, tmp));
    const version = (name: string): string => pkgs.userPkgs.find((x) => x.name === name)?.version ?? 'unknown';
    const sizes: Record<string, number> = {};
    for (const f of ['vmlinuz', 'initrd.img', 'rootfs.squashfs', WSL_ROOTFS, WSL_DATA]) sizes[f] = (await stat(path.join(out, f))).size;
    const meta = {
      hash,
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
    p.finish(`Built ${final}`);
    await printSizes(final);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/**
 * The WSL 2 distros alone, into the same images/<hash>/ (a later full build
 * replaces the directory with everything). WSL brings its own kernel, so this
 * needs no kernel compile.
 */
async function buildWslOnly(m: Manifest, hash: string, cache: string): Promise<void> {
  const p = new Progress(6);
  p.phase('Checking host tools');
  await requireHostTools();
  await mkdir(imagesDir(cache), { recursive: true });
  await removeStaleTemps(imagesDir(cache));
  const tmp = path.join(imagesDir(cache), `.tmp-${hash}-${process.pid}`);
  await rm(tmp, { recursive: true, force: true });
  const root = path.join(tmp, 'root');
  const out = path.join(tmp, 'out');
  await mkdir(out, { recursive: true });
  try {
    const pkgs = await fetchPackages(m, cache, p);
    await assembleRoot(m, pkgs.user, root, p, { hash, kernelVersion: 'wsl' });
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
  const hash = await imageHash(REPO_ROOT);
  const dir = imageDir(args.cache, hash);
  if (args.wslOnly) {
    const have = await stat(path.join(dir, WSL_DATA)).then(() => true, () => false);
    if (have && !args.force) { process.stderr.write(`WSL 2 distros ${hash} are up to date: ${dir}\n`); return; }
    await buildWslOnly(m, hash, args.cache);
    return;
  }
  const done = await stat(path.join(dir, 'image.json')).then(() => true, () => false);
  if (done && !args.force) {
    process.stderr.write(`VM image ${hash} is up to date: ${dir}\n`);
    await printSizes(dir);
    return;
  }
  await build(m, hash, args.cache);
}

main().catch((e: unknown) => {
  const known = e instanceof BuildError || e instanceof ManifestError;
  process.stderr.write(`\nvm:build failed: ${known ? (e as Error).message : (e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
