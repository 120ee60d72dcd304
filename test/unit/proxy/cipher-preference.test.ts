import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { ensureTlsMaterial } from '../../../src-main/core/proxy/certs.js';
import { DockerSocketProxy } from '../../../src-main/core/proxy/socket-proxy.js';
import { cipherList, type TlsCipherPreference } from '../../../src-main/core/proxy/cipher-order.js';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'wharf-cipher-'));

/**
 * The cipher suites a ClientHello offers, in the client's order. Go's TLS
 * server (dockerd) picks ChaCha20 when the client does not lead with AES-GCM,
 * so what matters is the order the proxy offers, read here off the wire.
 */
function offeredSuites(hello: Buffer): number[] {
  assert.equal(hello[0], 0x16, 'a TLS handshake record');
  assert.equal(hello[5], 0x01, 'a ClientHello');
  let at = 5 + 4 + 2 + 32; // handshake header, legacy version, random
  at += 1 + hello[at]!; // session id
  const len = hello.readUInt16BE(at);
  const suites: number[] = [];
  for (let i = 0; i < len; i += 2) suites.push(hello.readUInt16BE(at + 2 + i));
  return suites;
}

async function suitesOfferedThroughProxy(pref: TlsCipherPreference | undefined): Promise<number[]> {
  const m = await ensureTlsMaterial(tmp());
  let hello!: (b: Buffer) => void;
  const got = new Promise<Buffer>((r) => { hello = r; });
  const server = net.createServer((s) => {
    let buf = Buffer.alloc(0);
    s.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length >= 5 && buf.length >= 5 + buf.readUInt16BE(3)) { hello(buf); s.destroy(); }
    });
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const sock = path.join(tmp(), 'docker.sock');
  const proxy = new DockerSocketProxy(sock);
  await proxy.start({ host: '127.0.0.1', port: (server.address() as net.AddressInfo).port, tls: m, cipherPreference: pref });
  try {
    const c = net.createConnection(sock);
    c.on('error', () => undefined);
    const suites = offeredSuites(await got);
    c.destroy();
    return suites;
  } finally {
    await proxy.stop();
    server.close();
  }
}

const CHACHA20 = 0x1303;
const AES_128_GCM = 0x1301;
const AES_256_GCM = 0x1302;

test('for an emulated guest (chacha20 preference) the proxy\'s ClientHello leads with ChaCha20-Poly1305', async () => {
  const suites = await suitesOfferedThroughProxy('chacha20');
  assert.equal(suites[0], CHACHA20);
  assert.ok(suites.includes(AES_128_GCM) && suites.includes(AES_256_GCM), 'AES-GCM still offered');
});

test('without a preference the proxy leads with AES-GCM (hardware AES on a real CPU)', async () => {
  for (const pref of [undefined, 'default'] as const) {
    const suites = await suitesOfferedThroughProxy(pref);
    assert.ok(suites[0] === AES_256_GCM || suites[0] === AES_128_GCM, `leads with ${suites[0]?.toString(16)}`);
  }
});

test('the chacha20 list still offers every TLS 1.2 suite of the default, once each', () => {
  const list = cipherList('chacha20')!.split(':');
  assert.equal(list[0], 'TLS_CHACHA20_POLY1305_SHA256');
  assert.equal(new Set(list).size, list.length);
  for (const c of tls.DEFAULT_CIPHERS.split(':')) assert.ok(list.includes(c), `${c} kept`);
  assert.equal(cipherList('default'), undefined);
});
