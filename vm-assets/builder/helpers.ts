import { chmod, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { crossTools, run } from './exec.js';
import type { GuestArch } from './manifest.js';

/*
 * Guest helpers written in C (vm-assets/guest/helpers). Each is freestanding: no
 * libc, so a bare cross compiler builds it, and static at a fixed address, so its
 * own exec costs next to nothing (under TCG that is the point). A preload is a
 * shared object without libc headers either: the libc functions it declares bind
 * to the libc of the process it is loaded into.
 */

/** The C compiler that targets `arch` from this host: gcc, or the cross gcc the kernel build also uses. */
export function helperCompiler(arch: GuestArch, hostArch: string = process.arch): string {
  return Object.keys(crossTools(arch, hostArch)).find((t) => t.endsWith('-gcc')) ?? 'gcc';
}

export const HELPER_CFLAGS = [
  '-static', '-nostdlib', '-ffreestanding', '-fno-pie', '-no-pie', '-fno-stack-protector',
  '-fcf-protection=none', '-O2', '-s', '-Wall', '-Werror',
] as const;

export const PRELOAD_CFLAGS = [
  '-shared', '-fPIC', '-nostdlib', '-ffreestanding', '-fno-stack-protector',
  '-fcf-protection=none', '-O2', '-s', '-Wall', '-Werror',
] as const;

export interface HelperSpec { source: string; target: string; preload?: boolean }

/** Compiles each helper into the root at its target path (mode 755). */
export async function compileHelpers(helpers: readonly HelperSpec[], arch: GuestArch, assetsDir: string, root: string): Promise<void> {
  const cc = helperCompiler(arch);
  for (const h of helpers) {
    const out = path.join(root, h.target);
    await mkdir(path.dirname(out), { recursive: true });
    await run(cc, [...(h.preload ? PRELOAD_CFLAGS : HELPER_CFLAGS), '-o', out, path.join(assetsDir, h.source)]);
    await chmod(out, 0o755);
  }
}
