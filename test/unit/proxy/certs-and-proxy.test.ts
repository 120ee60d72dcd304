import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { ensureTlsMaterial, tlsFiles } from '../../../src-main/core/proxy/certs.js';
import { DockerSocketProxy } from '../../../src-main/core/proxy/socket-proxy.js';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'wharf-tls-'));

test('certificates chain to the private CA, keys are 0600, and a second call reuses them', async () => {
  const dir = tmp();
  const m = await ensureTlsMaterial(dir);
  const ca = new X509Certificate(m.ca);
  const server = new X509Certificate(m.serverCert);
  const client = new X509Certificate(m.clientCert);
  assert.ok(server.checkIssued(ca) && server.verify(ca.publicKey));
  assert.ok(client.checkIssued(ca) && client.verify(ca.publicKey));
  assert.match(server.subjectAltName ?? '', /IP Address:127\.0\.0\.1/);
  assert.match(server.subjectAltName ?? '', /IP Address:10\.0\.2\.15/);
  const files = tlsFiles(dir);
  assert.equal(fs.statSync(files.serverKey).mode & 0o777, 0o600);
  assert.equal(fs.statSync(files.clientKey).mode & 0o777, 0o600);
  assert.deepEqual(await ensureTlsMaterial(dir), m);
});

async function mtlsEchoServer(m: Awaited<ReturnType<typeof ensureTlsMaterial>>): Promise<{ port: number; close: () => void }> {
  const server = tls.createServer({ key: m.serverKey, cert: m.serverCert, ca: m.ca, requestCert: true, rejectUnauthorized: true }, (s) => s.pipe(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as net.AddressInfo).port, close: () => server.close() };
}

test('the server refuses a client without the client certificate (mutual TLS)', async () => {
  const m = await ensureTlsMaterial(tmp());
  const srv = await mtlsEchoServer(m);
  try {
    await assert.rejects(new Promise((resolve, reject) => {
      const s = tls.connect({ host: '127.0.0.1', port: srv.port, ca: m.ca, servername: 'wharf-vm' }, () => { s.write('x'); });
      s.on('data', resolve);
      s.on('error', reject);
      s.on('close', () => reject(new Error('closed')));
    }));
  } finally {
    srv.close();
  }
});

test('the host socket is 0600 and pipes bytes both ways, half-close included', async () => {
  const m = await ensureTlsMaterial(tmp());
  const srv = await mtlsEchoServer(m);
  const sock = path.join(tmp(), 'docker.sock');
  const proxy = new DockerSocketProxy(sock);
  await proxy.start({ host: '127.0.0.1', port: srv.port, tls: m });
  try {
    assert.equal(fs.statSync(sock).mode & 0o777, 0o600);
    for (let i = 0; i < 3; i++) {
      const echoed = await new Promise<string>((resolve, reject) => {
        const c = net.createConnection(sock);
        let got = '';
        c.on('data', (d) => { got += d.toString(); if (got === `hello ${i}`) c.end(); });
        c.on('close', () => resolve(got));
        c.on('error', reject);
        c.write(`hello ${i}`);
      });
      assert.equal(echoed, `hello ${i}`);
    }
  } finally {
    await proxy.stop();
    srv.close();
  }
  assert.equal(fs.existsSync(sock), false);
});

test('when the engine is unreachable the socket answers with a clear 502', async () => {
  const m = await ensureTlsMaterial(tmp());
  const sock = path.join(tmp(), 'docker.sock');
  const proxy = new DockerSocketProxy(sock);
  await proxy.start({ host: '127.0.0.1', port: 1, tls: m });
  try {
    const reply = await new Promise<string>((resolve) => {
      const c = net.createConnection(sock);
      let got = '';
      c.on('data', (d) => { got += d.toString(); });
      c.on('close', () => resolve(got));
      c.write('GET /_ping HTTP/1.1\r\nHost: docker\r\n\r\n');
    });
    assert.match(reply, /^HTTP\/1\.1 502/);
    assert.match(reply, /wharf status/);
  } finally {
    await proxy.stop();
  }
});

test('a client that hangs up while the engine is unreachable does not crash the proxy', async () => {
  const m = await ensureTlsMaterial(tmp());
  const sock = path.join(tmp(), 'docker.sock');
  const proxy = new DockerSocketProxy(sock);
  await proxy.start({ host: '127.0.0.1', port: 1, tls: m });
  const crashes: unknown[] = [];
  const onCrash = (err: unknown) => crashes.push(err);
  process.on('uncaughtException', onCrash);
  try {
    for (let i = 0; i < 20; i++) {
      const c = net.createConnection(sock);
      c.on('error', () => undefined);
      c.on('connect', () => { c.write('GET /_ping HTTP/1.1\r\n\r\n'); c.destroy(); });
    }
    await new Promise((r) => setTimeout(r, 1500));
    assert.deepEqual(crashes, []);
    const reply = await new Promise<string>((resolve) => {
      const c = net.createConnection(sock);
      let got = '';
      c.on('data', (d) => { got += d.toString(); });
      c.on('close', () => resolve(got));
    });
    assert.match(reply, /^HTTP\/1\.1 502/, 'still serving after the hang-ups');
  } finally {
    process.off('uncaughtException', onCrash);
    await proxy.stop();
  }
});
