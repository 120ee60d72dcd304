import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { DOCKER_HUB, DockerCredentials, registryOfImage, serverKey } from '../../../src-main/core/engine/registry-credentials.js';
import { splitRef } from '../../../src-main/core/engine/image-tools-service.js';

test('server keys and image registries as the docker CLI names them', () => {
  assert.equal(serverKey('docker.io'), DOCKER_HUB);
  assert.equal(serverKey('https://index.docker.io/v1/'), DOCKER_HUB);
  assert.equal(serverKey('http://LocalHost:5000/'), 'localhost:5000');
  assert.equal(registryOfImage('busybox'), DOCKER_HUB);
  assert.equal(registryOfImage('library/busybox:1'), DOCKER_HUB);
  assert.equal(registryOfImage('10.0.2.2:5000/e2e/app:1'), '10.0.2.2:5000');
  assert.equal(registryOfImage('localhost/app'), 'localhost');
  assert.deepEqual(splitRef('host:5000/team/app:1.0'), ['host:5000/team/app', '1.0']);
  assert.deepEqual(splitRef('host:5000/team/app'), ['host:5000/team/app', 'latest']);
  assert.throws(() => splitRef('app@sha256:abc'), /not a digest/);
});

test('without a helper: auths in config.json, other keys kept, mode 0600 for a new file and kept for an old one', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wharf-creds-'));
  const creds = new DockerCredentials(dir);
  const login = await creds.store('localhost:5000', 'alice', 's3cret:with:colons');
  assert.deepEqual(login, { server: 'localhost:5000', username: 'alice', store: 'config' });
  const file = path.join(dir, 'config.json');
  assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  const json = JSON.parse(fs.readFileSync(file, 'utf8'));
  assert.equal(Buffer.from(json.auths['localhost:5000'].auth, 'base64').toString(), 'alice:s3cret:with:colons');
  assert.deepEqual(await creds.get('http://localhost:5000'), { username: 'alice', password: 's3cret:with:colons', serveraddress: 'localhost:5000' });

  fs.writeFileSync(file, JSON.stringify({ ...json, currentContext: 'wharf', proxies: { default: {} } }));
  fs.chmodSync(file, 0o640);
  await creds.store('docker.io', 'bob', 'pw');
  assert.equal(fs.statSync(file).mode & 0o777, 0o640);
  const again = JSON.parse(fs.readFileSync(file, 'utf8'));
  assert.equal(again.currentContext, 'wharf');
  assert.deepEqual(again.proxies, { default: {} });
  assert.deepEqual((await creds.list()).map((l) => `${l.username}@${l.server}`), [`bob@${DOCKER_HUB}`, 'alice@localhost:5000']);
  await creds.erase('localhost:5000');
  assert.equal(await creds.get('localhost:5000'), undefined);
  assert.equal((await creds.list()).length, 1);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('with credsStore/credHelpers: a real docker-credential-* program stores, gets and erases; config.json holds no secret', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wharf-creds-helper-'));
  const bin = path.join(dir, 'bin');
  const store = path.join(dir, 'store');
  fs.mkdirSync(bin);
  fs.mkdirSync(store);
  // A credential helper speaking the docker-credential protocol, keeping secrets in files.
  const helper = `#!/bin/sh
set -e
case "$1" in
  store) cat > "${store}/last.json"; node -e 'const j=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));require("fs").writeFileSync(process.argv[2]+"/"+Buffer.from(j.ServerURL).toString("hex"),JSON.stringify({Username:j.Username,Secret:j.Secret}))' "${store}/last.json" "${store}" ;;
  get) s=$(cat); f="${store}/$(printf %s "$s" | od -An -tx1 | tr -d ' \\n')"; if [ -f "$f" ]; then cat "$f"; else echo "credentials not found in native keychain"; exit 1; fi ;;
  erase) s=$(cat); rm -f "${store}/$(printf %s "$s" | od -An -tx1 | tr -d ' \\n')" ;;
esac
`;
  fs.writeFileSync(path.join(bin, 'docker-credential-wharftest'), helper, { mode: 0o755 });
  const oldPath = process.env.PATH;
  process.env.PATH = `${bin}:${oldPath}`;
  try {
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ credsStore: 'wharftest', credHelpers: { 'other.example:5000': 'missinghelper' } }));
    const creds = new DockerCredentials(dir);
    const login = await creds.store('reg.example:5000', 'carol', 'tok3n');
    assert.equal(login.store, 'wharftest');
    const text = fs.readFileSync(path.join(dir, 'config.json'), 'utf8');
    assert.doesNotMatch(text, /tok3n/);
    assert.deepEqual(JSON.parse(text).auths, { 'reg.example:5000': {} });
    assert.deepEqual(await creds.get('reg.example:5000'), { username: 'carol', password: 'tok3n', serveraddress: 'reg.example:5000' });
    assert.equal(await creds.get('nobody.example'), undefined);
    assert.deepEqual((await creds.list()).map((l) => l.server), ['reg.example:5000']);
    await creds.erase('reg.example:5000');
    assert.equal(await creds.get('reg.example:5000'), undefined);
    await assert.rejects(creds.store('other.example:5000', 'x', 'y'), /docker-credential-missinghelper.*not installed/);
  } finally {
    process.env.PATH = oldPath;
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
