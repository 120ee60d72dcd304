import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import zlib from 'node:zlib';
import { collectDiagnostics, isPrivateKeyName } from '../../../src-main/core/diagnostics/collect.js';
import { wharfPaths } from '../../../src-main/core/paths.js';
import { readTar } from './read-tar.js';

const SECRETS = ['hunter2', 'dXNlcjpwYXNz', 's3cret-mirror', 'tok-123', 'MIIEsecretkey', 'ssh-private', 'infopass'];
const PEM = '-----BEGIN PRIVATE KEY-----\nMIIEsecretkey\n-----END PRIVATE KEY-----\n';

async function fakeHome() {
  const home = await fs.mkdtemp(path.join(os.tmpdir(), 'wharf-diag-'));
  const paths = wharfPaths(home, 'linux');
  await fs.mkdir(path.join(paths.logs, 'engine'), { recursive: true });
  await fs.mkdir(paths.certs, { recursive: true });
  await fs.writeFile(path.join(paths.logs, 'wharf.log'), 'started\nlogin password=hunter2 ok\nAuthorization: Bearer tok-123\n');
  await fs.writeFile(paths.consoleLog, '[    0.000000] Linux version 6.1\nwharf: milestone dockerd\n');
  await fs.writeFile(path.join(paths.logs, 'engine', 'dockerd.log'), 'pull https://bob:s3cret-mirror@mirror.example/v2/\n');
  await fs.writeFile(path.join(paths.logs, 'server.key'), PEM);
  await fs.writeFile(path.join(paths.logs, 'tls-key.pem'), PEM);
  await fs.writeFile(path.join(paths.logs, 'pasted.txt'), `oops\n${PEM}`);
  await fs.writeFile(path.join(paths.certs, 'key.pem'), PEM);
  const outside = path.join(home, 'id_rsa_outside');
  await fs.writeFile(outside, 'ssh-private');
  await fs.symlink(outside, path.join(paths.logs, 'link.log'));
  await fs.writeFile(paths.settings, JSON.stringify({
    version: 2, cpus: 2, memory: 4096,
    daemonJson: {
      debug: true,
      'registry-mirrors': ['https://alice:s3cret-mirror@mirror.example'],
      auths: { 'registry.example': { auth: 'dXNlcjpwYXNz' } },
      proxies: { 'https-proxy': 'http://u:hunter2@proxy:3128' },
    },
  }));
  return { home, paths };
}

async function collect() {
  const { home, paths } = await fakeHome();
  const outDir = path.join(home, 'out');
  const result = await collectDiagnostics({
    paths, outDir,
    versions: { wharf: '0.1.0', docker: '26.1.5' },
    dockerInfo: 'Server Version: 26.1.5\nRegistry: https://index.docker.io/v1/\nhttp-proxy password=infopass\n',
    notices: [{ code: 'settings', message: 'a notice' }],
    now: () => new Date('2026-11-23T04:00:00.000Z'),
  });
  const files = readTar(zlib.gunzipSync(await fs.readFile(result.archivePath)));
  return { result, files, outDir };
}

test('the archive holds logs, console log, redacted settings, versions and docker info', async () => {
  const { result, files, outDir } = await collect();
  assert.equal(result.archivePath, path.join(outDir, 'wharf-diagnostics-2026-11-23T04-00-00-000Z.tar.gz'));
  assert.equal(result.bytes, (await fs.stat(result.archivePath)).size);
  if (process.platform !== 'win32') assert.equal((await fs.stat(result.archivePath)).mode & 0o777, 0o600);
  const root = 'wharf-diagnostics-2026-11-23T04-00-00-000Z/';
  const names = [...files.keys()].map((n) => n.slice(root.length));
  assert.deepEqual(names.sort(), [...result.files].sort());
  for (const expected of ['versions.json', 'settings.json', 'docker-info.txt', 'notices.txt', 'logs/wharf.log', 'logs/console.log', 'logs/engine/dockerd.log', 'MANIFEST.txt']) {
    assert.ok(names.includes(expected), `${expected} missing from ${names.join(', ')}`);
  }
  assert.equal(JSON.parse(files.get(root + 'versions.json')!).docker, '26.1.5');
  assert.match(files.get(root + 'logs/console.log')!, /milestone dockerd/);
  const settings = JSON.parse(files.get(root + 'settings.json')!);
  assert.equal(settings.cpus, 2);
  assert.equal(settings.daemonJson.debug, true);
  assert.equal(settings.daemonJson.auths, '[redacted]');
  assert.deepEqual(settings.daemonJson['registry-mirrors'], ['https://[redacted]@mirror.example']);
  assert.match(files.get(root + 'docker-info.txt')!, /Server Version: 26\.1\.5/);
});

test('secrets are left out: no secret string appears anywhere in the archive', async () => {
  const { result, files } = await collect();
  const all = [...files.entries()].map(([n, d]) => `${n}\n${d}`).join('\n');
  for (const secret of SECRETS) assert.ok(!all.includes(secret), `${secret} leaked`);
  // …and none of it is hiding in the compressed bytes either.
  const raw = zlib.gunzipSync(await fs.readFile(result.archivePath)).toString('latin1');
  for (const secret of SECRETS) assert.ok(!raw.includes(secret), `${secret} leaked (raw)`);
});

test('private keys and symlinks are never included, and the manifest says so', async () => {
  const { files, result } = await collect();
  const names = [...files.keys()];
  for (const bad of ['server.key', 'tls-key.pem', 'pasted.txt', 'link.log', 'key.pem']) {
    assert.ok(!names.some((n) => n.endsWith('/' + bad)), `${bad} included`);
  }
  const manifest = [...files.entries()].find(([n]) => n.endsWith('MANIFEST.txt'))![1];
  assert.match(manifest, /logs\/server\.key: private key, never included/);
  assert.match(manifest, /logs\/pasted\.txt: contains a private key/);
  assert.match(manifest, /logs\/link\.log: symbolic link, not followed/);
  assert.ok(result.files.includes('MANIFEST.txt'));
});

test('big logs are cut to their tail', async () => {
  const { home, paths } = await fakeHome();
  await fs.writeFile(path.join(paths.logs, 'big.log'), 'A'.repeat(5000) + 'THE-END');
  const result = await collectDiagnostics({ paths, outDir: home, versions: {}, maxFileBytes: 100 });
  const files = readTar(zlib.gunzipSync(await fs.readFile(result.archivePath)));
  const big = [...files.entries()].find(([n]) => n.endsWith('logs/big.log'))![1];
  assert.ok(big.length < 200);
  assert.match(big, /only the last 100 bytes[\s\S]*THE-END$/);
  assert.match([...files.entries()].find(([n]) => n.endsWith('docker-info.txt'))![1], /not available/);
});

test('private key names', () => {
  for (const n of ['server.key', 'a/b/tls-key.pem', 'key.pem', 'id_ed25519']) assert.ok(isPrivateKeyName(n), n);
  for (const n of ['cert.pem', 'ca.pem', 'wharf.log', 'keys.txt']) assert.ok(!isPrivateKeyName(n), n);
});
