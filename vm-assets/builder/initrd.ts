import { copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { run } from './exec.js';

/*
 * The initrd only has to get the real root mounted: a static busybox and /init
 * (the kernel has its storage drivers built in). Everything else lives in the squashfs root because runc
 * cannot pivot_root out of an initramfs.
 */

export interface InitrdInput {
  dir: string;
  initScript: string;
  busybox: string;
}

export async function stageInitrd(i: InitrdInput): Promise<void> {
  for (const d of ['bin', 'dev', 'proc', 'sys', 'newroot', 'run', 'ro', 'rw']) {
    await mkdir(path.join(i.dir, d), { recursive: true });
  }
  await copyFile(i.busybox, path.join(i.dir, 'bin/busybox'));
  await writeFile(path.join(i.dir, 'init'), await readFile(i.initScript), { mode: 0o755 });
}

async function listAll(dir: string, rel = '.'): Promise<string[]> {
  const out: string[] = [rel];
  for (const e of await readdir(path.join(dir, rel), { withFileTypes: true })) {
    const child = `${rel}/${e.name}`;
    if (e.isDirectory()) out.push(...(await listAll(dir, child)));
    else out.push(child);
  }
  return out;
}

/** newc cpio (the format the kernel unpacks), gzip-compressed in-process. */
export async function packInitrd(dir: string, out: string): Promise<void> {
  const raw = `${out}.cpio`;
  const files = await listAll(dir);
  await run('cpio', ['--quiet', '-o', '-H', 'newc', '-R', '0:0', '-0', '-O', raw], {
    cwd: dir,
    input: files.join('\0') + '\0',
  });
  await writeFile(out, gzipSync(await readFile(raw), { level: 9 }));
  await rm(raw);
}
