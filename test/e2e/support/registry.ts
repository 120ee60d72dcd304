import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { BusyboxLayer } from './busybox-image.js';

/**
 * Debian's docker-registry on 127.0.0.1 for the pull test. The guest reaches
 * the host's loopback as 10.0.2.2 (QEMU user networking), so the engine pulls
 * `10.0.2.2:<port>/…`, listed in daemon.json's insecure-registries.
 */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export function findRegistryBinary(): string {
  for (const p of ['/usr/bin/docker-registry', '/usr/local/bin/registry', '/usr/bin/registry']) if (fs.existsSync(p)) return p;
  throw new Error('The pull e2e test needs a local registry: apt-get install docker-registry');
}

/** `htpasswd`: a file of bcrypt user:hash lines (htpasswd -B); the registry then asks for basic auth. */
export async function startRegistry(dir: string, port: number, opts: { htpasswd?: string } = {}): Promise<ChildProcess> {
  const bin = findRegistryBinary();
  fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
  const config = path.join(dir, 'config.yml');
  fs.writeFileSync(config, [
    'version: 0.1',
    'log:',
    '  level: warn',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${path.join(dir, 'data')}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: 127.0.0.1:${port}`,
    ...(opts.htpasswd ? ['auth:', '  htpasswd:', '    realm: wharf-e2e', `    path: ${opts.htpasswd}`] : []),
    '',
  ].join('\n'));
  const log = fs.openSync(path.join(dir, 'registry.log'), 'a');
  const child = spawn(bin, ['serve', config], { stdio: ['ignore', log, log], detached: false });
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited (${child.exitCode}); see ${dir}/registry.log`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/v2/`);
      if (res.ok || (opts.htpasswd && res.status === 401)) return child;
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill();
  throw new Error(`docker-registry did not answer on 127.0.0.1:${port}`);
}

async function uploadBlob(base: string, repo: string, body: Buffer, digest: string): Promise<void> {
  const head = await fetch(`${base}/v2/${repo}/blobs/${digest}`, { method: 'HEAD' });
  if (head.ok) return;
  const start = await fetch(`${base}/v2/${repo}/blobs/uploads/`, { method: 'POST' });
  if (start.status !== 202) throw new Error(`registry upload start: ${start.status} ${await start.text()}`);
  const loc = new URL(start.headers.get('location')!, base);
  loc.searchParams.set('digest', digest);
  const put = await fetch(loc, { method: 'PUT', body: new Uint8Array(body), headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(body.length) } });
  if (put.status !== 201) throw new Error(`registry upload: ${put.status} ${await put.text()}`);
}

/** Pushes a one-layer image over the registry HTTP API (no docker daemon needed on the host). */
export async function pushImage(port: number, repo: string, tag: string, layer: BusyboxLayer): Promise<void> {
  const base = `http://127.0.0.1:${port}`;
  const config = Buffer.from(JSON.stringify({
    architecture: 'amd64',
    os: 'linux',
    created: '2024-01-01T00:00:00Z',
    config: { Cmd: ['/bin/sh'], Env: ['PATH=/bin'], WorkingDir: '/' },
    rootfs: { type: 'layers', diff_ids: [layer.diffId] },
    history: [{ created: '2024-01-01T00:00:00Z', created_by: 'wharf e2e: busybox-static FROM scratch' }],
  }));
  const configDigest = `sha256:${crypto.createHash('sha256').update(config).digest('hex')}`;
  await uploadBlob(base, repo, layer.gzip, layer.digest);
  await uploadBlob(base, repo, config, configDigest);
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: config.length, digest: configDigest },
    layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: layer.gzip.length, digest: layer.digest }],
  });
  const res = await fetch(`${base}/v2/${repo}/manifests/${tag}`, {
    method: 'PUT',
    body: manifest,
    headers: { 'Content-Type': 'application/vnd.docker.distribution.manifest.v2+json' },
  });
  if (res.status !== 201) throw new Error(`registry manifest: ${res.status} ${await res.text()}`);
}
