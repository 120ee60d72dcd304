import { cp, lstat, mkdir, readdir, rename, rm, rmdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { run } from './exec.js';

/*
 * Turns a pile of extracted .debs into a root tree. No maintainer scripts run, so
 * what they would have done (merged /usr, alternatives, users) is done here or
 * shipped as plain files from vm-assets/guest/root.
 */

export async function extractDebs(debs: readonly string[], dest: string, onEach: (deb: string) => void): Promise<void> {
  await mkdir(dest, { recursive: true });
  for (const deb of debs) {
    await run('dpkg-deb', ['-x', deb, dest]);
    onEach(path.basename(deb));
  }
}

async function exists(p: string): Promise<boolean> {
  return lstat(p).then(() => true, () => false);
}

/** Moves `src` into `dst` entry by entry; an existing entry in dst wins (it came from /usr). */
async function mergeInto(src: string, dst: string): Promise<void> {
  await mkdir(dst, { recursive: true });
  for (const e of await readdir(src, { withFileTypes: true })) {
    const from = path.join(src, e.name);
    const to = path.join(dst, e.name);
    const target = await lstat(to).catch(() => undefined);
    if (!target) await rename(from, to);
    else if (e.isDirectory() && target.isDirectory()) await mergeInto(from, to);
    else await rm(from, { recursive: true, force: true });
  }
  await rmdir(src);
}

/** The merged-/usr layout trixie expects (/bin -> usr/bin …). The bookworm kernel modules arrive in /lib. */
export async function mergeUsr(root: string): Promise<void> {
  for (const d of ['bin', 'sbin', 'lib', 'lib64']) {
    const top = path.join(root, d);
    const st = await lstat(top).catch(() => undefined);
    if (st?.isDirectory()) await mergeInto(top, path.join(root, 'usr', d));
    else if (st) continue;
    await mkdir(path.join(root, 'usr', d), { recursive: true });
    await symlink(`usr/${d}`, top);
  }
}

/** A strip pattern: '*' matches within one path segment, '**' across segments. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      re += '.*';
      i++;
      if (glob[i + 1] === '/') i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Deletes every path matching a pattern; returns how many entries went. */
export async function strip(root: string, patterns: readonly string[]): Promise<number> {
  const res = patterns.map(globToRegExp);
  let removed = 0;
  const visit = async (rel: string): Promise<void> => {
    for (const e of await readdir(path.join(root, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (res.some((r) => r.test(child))) {
        await rm(path.join(root, child), { recursive: true, force: true });
        removed++;
      } else if (e.isDirectory()) await visit(child);
    }
  };
  await visit('');
  return removed;
}

/** Applet symlinks for the static busybox; real binaries from packages always win. */
export async function busyboxLinks(root: string, lister = path.join(root, 'usr/bin/busybox')): Promise<number> {
  const { stdout } = await run(lister, ['--list-full']);
  let made = 0;
  for (const applet of stdout.split('\n').map((l) => l.trim()).filter(Boolean)) {
    if (applet.includes('..')) continue;
    const rel = applet.startsWith('usr/') ? applet : `usr/${applet}`;
    const at = path.join(root, rel);
    if (await exists(at)) continue;
    await mkdir(path.dirname(at), { recursive: true });
    await symlink('/usr/bin/busybox', at);
    made++;
  }
  return made;
}

export async function addLinks(root: string, links: Record<string, string>): Promise<void> {
  for (const [at, target] of Object.entries(links)) {
    const full = path.join(root, at);
    await rm(full, { force: true });
    await mkdir(path.dirname(full), { recursive: true });
    await symlink(target, full);
  }
}

export async function copyTree(src: string, dest: string): Promise<void> {
  await cp(src, dest, { recursive: true, force: true, verbatimSymlinks: true, preserveTimestamps: false });
}

export async function writeRootFile(root: string, rel: string, text: string, mode = 0o644): Promise<void> {
  const full = path.join(root, rel);
  await mkdir(path.dirname(full), { recursive: true });
  await writeFile(full, text, { mode });
}

/**
 * Every dynamic ELF's NEEDED libraries must exist in the image: excluding a
 * package or stripping a library must fail the build, not the guest's boot.
 * Needs binutils' readelf; without it the check is skipped with a note.
 */
export async function missingLibraries(root: string, candidates: readonly string[], triplet = 'x86_64-linux-gnu'): Promise<string[]> {
  const libDirs = [`usr/lib/${triplet}`, 'usr/lib', 'usr/lib64'];
  const problems: string[] = [];
  for (const rel of candidates) {
    let out: string;
    try {
      out = (await run('readelf', ['-d', path.join(root, rel)])).stdout;
    } catch {
      continue; // not an ELF (scripts) or readelf missing
    }
    for (const m of out.matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)) {
      const lib = m[1]!;
      let found = false;
      for (const d of libDirs) if (await exists(path.join(root, d, lib))) found = true;
      if (!found) problems.push(`${rel} needs ${lib}`);
    }
  }
  return problems;
}

/** Regular files under the given directories, relative to root. */
export async function filesUnder(root: string, dirs: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const d of dirs) {
    const entries = await readdir(path.join(root, d), { withFileTypes: true }).catch(() => []);
    for (const e of entries) if (e.isFile()) out.push(`${d}/${e.name}`);
  }
  return out;
}
