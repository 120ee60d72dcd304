import { copyFile, lstat, mkdir, readlink, symlink } from 'node:fs/promises';
import path from 'node:path';
import { BuildError, run } from './exec.js';

/*
 * Other-architecture containers. Debian's qemu-user is static and its qemu-user-binfmt
 * ships the binfmt_misc definitions (flags OPF: F opens the interpreter when it is
 * registered, so it keeps working inside every container's mount namespace). The
 * package holds some 30 targets (~450 MB); the image takes only the ones the manifest
 * names for this guest, and the guest's boot registers their definitions.
 */

/** Where the guest's boot (guest/root/usr/lib/wharf/binfmt.sh) looks for definitions. */
export const BINFMT_DIR = 'usr/lib/binfmt.d';

/** The files one target needs, relative to the extracted packages. */
export function emulatorFiles(target: string): { binary: string; wrapper: string; definition: string } {
  return {
    binary: `usr/bin/qemu-${target}`,
    // Debian's definitions name this wrapper (a symlink to the binary) so qemu knows P is set.
    wrapper: `usr/libexec/qemu-binfmt/${target}-binfmt-P`,
    definition: `usr/share/qemu/binfmt.d/qemu-${target}.conf`,
  };
}

/** Extracts the packages to `scratch` and copies each target into the root; returns the targets. */
export async function installEmulators(debs: readonly string[], targets: readonly string[], root: string, scratch: string): Promise<string[]> {
  if (!debs.length) throw new BuildError('emulation: no packages were downloaded');
  await mkdir(scratch, { recursive: true });
  for (const deb of debs) await run('dpkg-deb', ['-x', deb, scratch]);
  for (const t of targets) {
    const f = emulatorFiles(t);
    for (const rel of [f.binary, f.wrapper, f.definition]) {
      if (!(await lstat(path.join(scratch, rel)).catch(() => undefined))) {
        throw new BuildError(`emulation: ${rel} is not in ${debs.map((d) => path.basename(d)).join(', ')} (is "${t}" a qemu-user target?)`);
      }
    }
    await mkdir(path.join(root, 'usr/bin'), { recursive: true });
    await copyFile(path.join(scratch, f.binary), path.join(root, f.binary));
    await mkdir(path.dirname(path.join(root, f.wrapper)), { recursive: true });
    await symlink(await readlink(path.join(scratch, f.wrapper)), path.join(root, f.wrapper)).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'EEXIST') throw e;
    });
    await mkdir(path.join(root, BINFMT_DIR), { recursive: true });
    await copyFile(path.join(scratch, f.definition), path.join(root, BINFMT_DIR, `qemu-${t}.conf`));
  }
  return [...targets];
}
