import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { classifyRemoteError, remoteError } from '../../../src-main/core/remote/remote-errors.js';
import { contextDirName, readCliContexts } from '../../../src-main/core/remote/contexts-store.js';
import { SshAgent, sshArgs } from '../../../src-main/core/remote/ssh-agent.js';
import { formatContexts } from '../../../src-main/cli/commands/context.js';

test('errors say which part failed: host, certificate or permission', () => {
  assert.equal(classifyRemoteError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })), 'remote-unreachable');
  assert.equal(classifyRemoteError(Object.assign(new Error('getaddrinfo ENOTFOUND nohost'), { code: 'ENOTFOUND' })), 'remote-unreachable');
  assert.equal(classifyRemoteError(Object.assign(new Error('self-signed certificate in certificate chain'), { code: 'SELF_SIGNED_CERT_IN_CHAIN' })), 'remote-certificate');
  assert.equal(classifyRemoteError(new Error('unable to verify the first certificate')), 'remote-certificate');
  assert.equal(classifyRemoteError(Object.assign(new Error('write EPROTO … alert bad certificate'), { code: 'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE' })), 'remote-certificate');
  // Recorded ssh stderr (OpenSSH 9) for the three ssh:// failures.
  assert.equal(classifyRemoteError(new Error('dev@build: Permission denied (publickey).')), 'remote-permission');
  assert.equal(classifyRemoteError(new Error('ssh: Could not resolve hostname build.invalid: Name or service not known')), 'remote-unreachable');
  assert.equal(classifyRemoteError(new Error('ssh: connect to host 127.0.0.1 port 2222: Connection refused')), 'remote-unreachable');
  assert.equal(classifyRemoteError(Object.assign(new Error('connect EACCES /var/run/docker.sock'), { code: 'EACCES' })), 'remote-permission');
  const e = remoteError('big', 'tcp://10.1.2.3:2376', Object.assign(new Error('unable to verify the first certificate'), { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }));
  assert.equal(e.code, 'remote-certificate');
  assert.match(e.message, /context "big" at tcp:\/\/10\.1\.2\.3:2376 refused the TLS connection: certificate refused/);
});

test('ssh:// becomes one ssh per connection running docker system dial-stdio, host after "--"', () => {
  assert.deepEqual(sshArgs('ssh://dev@build.example:2222'), ['-o', 'BatchMode=yes', '-o', 'ConnectTimeout=10', '-p', '2222', '-l', 'dev', '--', 'build.example', 'docker', 'system', 'dial-stdio']);
  assert.deepEqual(sshArgs('ssh://build'), ['-o', 'BatchMode=yes', '-o', 'ConnectTimeout=10', '--', 'build', 'docker', 'system', 'dial-stdio']);
  assert.throws(() => sshArgs('tcp://x:1'), /not an ssh/);
});

test('contexts are read as the docker CLI stores them, with the built-in default first', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'wharf-ctx-'));
  const add = async (name: string, host: string, tls: boolean) => {
    const meta = path.join(dir, 'contexts', 'meta', contextDirName(name));
    await fs.mkdir(meta, { recursive: true });
    await fs.writeFile(path.join(meta, 'meta.json'), JSON.stringify({ Name: name, Metadata: { Description: `d-${name}` }, Endpoints: { docker: { Host: host, SkipTLSVerify: false } } }));
    if (tls) {
      const t = path.join(dir, 'contexts', 'tls', contextDirName(name), 'docker');
      await fs.mkdir(t, { recursive: true });
      await fs.writeFile(path.join(t, 'ca.pem'), 'x');
    }
  };
  await add('remote', 'tcp://127.0.0.1:2376', true);
  await add('box', 'ssh://me@box', false);
  await fs.mkdir(path.join(dir, 'contexts', 'meta', 'junk'), { recursive: true });
  const list = await readCliContexts(dir, {});
  assert.deepEqual(list.map((c) => [c.name, c.host, c.tlsDir !== undefined]), [
    ['default', 'unix:///var/run/docker.sock', false], ['box', 'ssh://me@box', false], ['remote', 'tcp://127.0.0.1:2376', true],
  ]);
  const table = formatContexts(list.map((c) => ({ name: c.name, description: c.description, host: c.host, kind: 'tcp', tls: c.tlsDir !== undefined, cliCurrent: c.name === 'box', viewed: c.name === 'remote' })));
  assert.match(table, /^\* remote\s+tcp\s+tcp:\/\/127\.0\.0\.1:2376 \(TLS\)/m);
  assert.match(table, /^ {2}box .* yes$/m);
});

test('an ssh that stops reading before it exits is reported in ssh\'s words, not as a broken pipe', async () => {
  // Recorded OpenSSH 9 wording; ssh closes its stdin first, so the request's writes hit EPIPE before ssh exits.
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'wharf-fake-ssh-'));
  const fake = path.join(dir, 'ssh');
  await fs.writeFile(fake, '#!/bin/sh\nexec 0<&-\nsleep 0.3\necho "ssh: connect to host 127.0.0.1 port 1: Connection refused" >&2\nexit 255\n', { mode: 0o755 });
  try {
    for (let i = 0; i < 3; i++) {
      const err = await new Promise<Error>((resolve) => {
        const req = http.request({ agent: new SshAgent('ssh://root@127.0.0.1:1', fake), path: '/_ping', method: 'POST', headers: { host: 'docker' } }, () => resolve(new Error('answered')));
        req.on('error', resolve);
        setTimeout(() => req.end(Buffer.alloc(256 * 1024)), 100);
      });
      assert.equal((err as { code?: string }).code, 'ESSH', err.message);
      assert.match(err.message, /Connection refused/);
      assert.equal(classifyRemoteError(err), 'remote-unreachable');
    }
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});
