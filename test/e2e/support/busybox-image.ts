import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';

/**
 * A test image built FROM scratch out of the host's static busybox
 * (Debian's busybox-static): /bin/busybox plus one relative symlink per
 * applet, so `sh`, `echo`, `sleep`, `httpd` … all work. No registry needed.
 */
export interface BusyboxLayer {
  /** Uncompressed tar of the root filesystem (for `docker import`). */
  tar: Buffer;
  /** gzip of the same tar (a registry layer blob). */
  gzip: Buffer;
  diffId: string;
  digest: string;
}

export function findStaticBusybox(): string {
  for (const p of ['/bin/busybox', '/usr/bin/busybox']) {
    if (!fs.existsSync(p)) continue;
    const head = execFileSync('file', ['-L', p], { encoding: 'utf8' });
    if (/statically linked|static-pie/.test(head)) return p;
  }
  throw new Error('A static busybox is needed for the e2e test image: apt-get install busybox-static');
}

export function buildBusyboxLayer(workDir: string = fs.mkdtempSync(path.join(os.tmpdir(), 'wharf-e2e-img-'))): BusyboxLayer {
  const busybox = findStaticBusybox();
  const root = path.join(workDir, 'rootfs');
  fs.mkdirSync(path.join(root, 'bin'), { recursive: true });
  for (const d of ['tmp', 'etc', 'www', 'root']) fs.mkdirSync(path.join(root, d), { recursive: true });
  fs.chmodSync(path.join(root, 'tmp'), 0o1777);
  fs.copyFileSync(busybox, path.join(root, 'bin', 'busybox'));
  fs.chmodSync(path.join(root, 'bin', 'busybox'), 0o755);
  const applets = execFileSync(busybox, ['--list'], { encoding: 'utf8' }).split('\n').map((s) => s.trim()).filter(Boolean);
  for (const a of applets) {
    if (a === 'busybox' || a.includes('/')) continue;
    const link = path.join(root, 'bin', a);
    if (!fs.existsSync(link)) fs.symlinkSync('busybox', link);
  }
  fs.writeFileSync(path.join(root, 'www', 'index.html'), '<h1>wharf e2e</h1>\n');
  fs.writeFileSync(path.join(root, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
  fs.writeFileSync(path.join(root, 'etc', 'group'), 'root:x:0:\n');
  const tarPath = path.join(workDir, 'rootfs.tar');
  // Deterministic: sorted names, fixed owner and mtime, so the digest is stable between runs.
  execFileSync('tar', ['--sort=name', '--owner=0', '--group=0', '--numeric-owner', '--mtime=2024-01-01 00:00Z', '-C', root, '-cf', tarPath, '.']);
  const tar = fs.readFileSync(tarPath);
  const gzip = zlib.gzipSync(tar, { level: 6 });
  return {
    tar,
    gzip,
    diffId: `sha256:${crypto.createHash('sha256').update(tar).digest('hex')}`,
    digest: `sha256:${crypto.createHash('sha256').update(gzip).digest('hex')}`,
  };
}
