import { copyFile, mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { BuildError } from './exec.js';

/*
 * Picks kernel modules without depmod on the host: each .ko carries its own
 * dependency list in .modinfo ("depends=a,b"), which is all we need to take a
 * closure and order it for insmod.
 */

export interface ModuleInfo {
  name: string;
  /** Relative to lib/modules/<version>/ */
  rel: string;
  depends: string[];
}

export const normalizeModuleName = (n: string): string => n.replace(/-/g, '_');

/** Reads "depends=" from the module's .modinfo strings. */
export function parseDepends(ko: Buffer): string[] {
  const marker = Buffer.from('\0depends=');
  const at = ko.indexOf(marker);
  if (at < 0) return [];
  const start = at + marker.length;
  const end = ko.indexOf(0, start);
  const value = ko.subarray(start, end < 0 ? undefined : end).toString('utf8');
  return value ? value.split(',').map(normalizeModuleName) : [];
}

async function walk(dir: string, base: string, out: string[]): Promise<void> {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) await walk(full, base, out);
    else if (e.name.endsWith('.ko')) out.push(path.relative(base, full));
  }
}

export async function indexModules(modDir: string): Promise<Map<string, ModuleInfo>> {
  const rels: string[] = [];
  await walk(path.join(modDir, 'kernel'), modDir, rels);
  const index = new Map<string, ModuleInfo>();
  for (const rel of rels) {
    const name = normalizeModuleName(path.basename(rel, '.ko'));
    index.set(name, { name, rel, depends: parseDepends(await readFile(path.join(modDir, rel))) });
  }
  return index;
}

/** Dependencies first, each module once: the order insmod needs. */
export function closure(index: Map<string, ModuleInfo>, wanted: readonly string[]): ModuleInfo[] {
  const ordered: ModuleInfo[] = [];
  const seen = new Set<string>();
  const visit = (name: string, from: string): void => {
    const n = normalizeModuleName(name);
    if (seen.has(n)) return;
    const info = index.get(n);
    if (!info) throw new BuildError(`kernel module "${n}" (needed by ${from}) is not in this kernel`);
    seen.add(n);
    for (const d of info.depends) visit(d, n);
    ordered.push(info);
  };
  for (const w of wanted) visit(w, 'the manifest');
  return ordered;
}

/** Modules under any of the `keep` paths (directories or single .ko files). */
export function selectByPath(index: Map<string, ModuleInfo>, keep: readonly string[], omit: readonly string[] = []): string[] {
  const under = (rel: string, list: readonly string[]): boolean =>
    list.some((k) => {
      const p = k.replace(/\/+$/, '');
      return rel === p || rel.startsWith(`${p}/`);
    });
  return [...index.values()].filter((m) => under(m.rel, keep) && !under(m.rel, omit)).map((m) => m.name);
}

export async function copyModules(modDir: string, mods: readonly ModuleInfo[], destModDir: string): Promise<void> {
  for (const m of mods) {
    await mkdir(path.dirname(path.join(destModDir, m.rel)), { recursive: true });
    await copyFile(path.join(modDir, m.rel), path.join(destModDir, m.rel));
  }
  // depmod wants to know which modules are built in, so modprobe of those succeeds.
  for (const f of ['modules.builtin', 'modules.order', 'modules.builtin.modinfo']) {
    await copyFile(path.join(modDir, f), path.join(destModDir, f)).catch(() => {});
  }
}
