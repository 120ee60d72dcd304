/**
 * The WSL 2 distros, from the same root as the VM image: WSL brings its own
 * kernel, so the engine distro is the root without a kernel or initrd (its
 * /etc/wsl.conf comes from guest/root). The data distro is only a busybox and
 * an empty /data: the engine's images and volumes live there, apart from the
 * engine distro, so an upgrade re-imports the engine distro and keeps the data.
 */
import { copyFile, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { run } from './exec.js';

export const WSL_ROOTFS = 'wsl-rootfs.tar';
export const WSL_DATA = 'wsl-data.tar';

/** Root-owned, numeric ids, sorted: the same tree gives the same tarball. */
async function tarDir(dir: string, file: string): Promise<void> {
  await run('tar', ['--sort=name', '--numeric-owner', '--owner=0', '--group=0', '--mtime=@0', '-C', dir, '-cf', file, '.']);
}

const DATA_WSL_CONF = `# Wharf's data distro: it only holds /data and bind-mounts it for the engine distro.
[boot]
systemd = false
[user]
default = root
[automount]
enabled = false
mountFsTab = false
[interop]
enabled = false
appendWindowsPath = false
`;

export async function writeWslTarballs(root: string, out: string, scratch: string): Promise<void> {
  await tarDir(root, path.join(out, WSL_ROOTFS));
  const data = path.join(scratch, 'wsl-data');
  await rm(data, { recursive: true, force: true });
  for (const d of ['bin', 'data', 'etc', 'mnt/wsl', 'proc', 'sys', 'dev', 'tmp', 'run']) await mkdir(path.join(data, d), { recursive: true });
  await copyFile(path.join(root, 'usr/bin/busybox'), path.join(data, 'bin/busybox'));
  for (const applet of ['sh', 'mount', 'umount', 'mkdir', 'sleep', 'grep', 'cat', 'env', 'ls']) await symlink('busybox', path.join(data, 'bin', applet));
  // The engine checks for this file to know the data distro is really mounted.
  await writeFile(path.join(data, 'data/.wharf-data'), 'Wharf engine data (images, containers, volumes). Do not delete.\n');
  await writeFile(path.join(data, 'etc/wsl.conf'), DATA_WSL_CONF);
  await tarDir(data, path.join(out, WSL_DATA));
  await rm(data, { recursive: true, force: true });
}
