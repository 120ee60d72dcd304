import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PassThrough } from 'node:stream';
import { BindPathError, rewriteCreateBody } from '../../../src-main/core/proxy/bind-paths.js';
import { CreateRequestRewriter } from '../../../src-main/core/proxy/create-rewriter.js';
import { wslHostPath } from '../../../src-main/core/vm/wsl/windows-paths.js';

const drives = new Set(['c', 'd']);
const map = (p: string) => wslHostPath(p, drives);
const binds = (...b: string[]) => {
  const body = { Image: 'x', HostConfig: { Binds: b } };
  rewriteCreateBody(body, map);
  return body.HostConfig.Binds;
};

test('Windows paths in Binds become /mnt/<drive> paths; modes are kept', () => {
  assert.deepEqual(binds('C:\\x:/x'), ['/mnt/c/x:/x']);
  assert.deepEqual(binds('c:/x:/x:ro'), ['/mnt/c/x:/x:ro']);
  assert.deepEqual(binds('C:\\My Projects\\app:/src'), ['/mnt/c/My Projects/app:/src']);
  assert.deepEqual(binds('\\\\?\\C:\\x:/x'), ['/mnt/c/x:/x']);
  assert.deepEqual(binds('D:\\:/d'), ['/mnt/d:/d']);
});

test('named volumes and guest paths are untouched', () => {
  assert.deepEqual(binds('data:/var/lib/data', 'my_vol.1:/x:ro', '/var/run/docker.sock:/var/run/docker.sock'), ['data:/var/lib/data', 'my_vol.1:/x:ro', '/var/run/docker.sock:/var/run/docker.sock']);
});

test('UNC, relative and unmounted-drive paths are refused with the reason', () => {
  assert.throws(() => binds('\\\\server\\share\\x:/x'), (e) => e instanceof BindPathError && /UNC/.test(e.message));
  assert.throws(() => binds('.\\src:/src'), (e) => e instanceof BindPathError && /absolute path/.test(e.message));
  assert.throws(() => binds('src\\app:/src'), /absolute path/);
  assert.throws(() => binds('E:\\x:/x'), /drive E: is not mounted in WSL/);
});

test('Mounts: bind sources are rewritten, volume sources are not', () => {
  const body = { HostConfig: { Mounts: [{ Type: 'bind', Source: 'C:\\src', Target: '/src' }, { Type: 'volume', Source: 'data', Target: '/d' }] } };
  assert.equal(rewriteCreateBody(body, map), true);
  assert.deepEqual(body.HostConfig.Mounts.map((m) => m.Source), ['/mnt/c/src', 'data']);
  assert.equal(rewriteCreateBody({ HostConfig: { Binds: ['vol:/x'] } }, map), false);
});

async function through(chunks: Buffer[]): Promise<{ out: string; refused: string[] }> {
  const refused: string[] = [];
  const rw = new CreateRequestRewriter(map, (_s, m) => refused.push(m));
  const sink = new PassThrough();
  rw.pipe(sink);
  const got: Buffer[] = [];
  sink.on('data', (d: Buffer) => got.push(d));
  for (const c of chunks) rw.write(c);
  rw.end();
  await new Promise((r) => sink.on('end', r));
  return { out: Buffer.concat(got).toString('latin1'), refused };
}

const req = (method: string, path: string, body?: string, extra = '') =>
  `${method} ${path} HTTP/1.1\r\nHost: docker\r\n${extra}${body !== undefined ? `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` : ''}\r\n${body ?? ''}`;

test('the proxy rewriter: only POST /containers/create is parsed, on a keep-alive connection, split at any byte', async () => {
  const create = JSON.stringify({ Image: 'busybox', HostConfig: { Binds: ['C:\\src:/src'] } });
  const wire = Buffer.from(req('GET', '/_ping') + req('POST', '/v1.45/containers/create?name=a', create) + req('POST', '/v1.45/containers/abc/start', '{"C:\\\\x":1}'), 'latin1');
  // Byte by byte: framing must not depend on how TCP splits the stream.
  const { out } = await through([...wire].map((b) => Buffer.from([b])));
  const expected = JSON.stringify({ Image: 'busybox', HostConfig: { Binds: ['/mnt/c/src:/src'] } });
  assert.ok(out.includes(`Content-Length: ${expected.length}\r\n\r\n${expected}`), out);
  // The other requests pass byte for byte, bodies included.
  assert.ok(out.startsWith(req('GET', '/_ping')));
  assert.ok(out.endsWith(req('POST', '/v1.45/containers/abc/start', '{"C:\\\\x":1}')));
});

test('the proxy rewriter: a refused path answers the client and forwards nothing; chunked bodies and upgrades pass untouched', async () => {
  const bad = JSON.stringify({ HostConfig: { Binds: ['\\\\srv\\s:/x'] } });
  const r1 = await through([Buffer.from(req('POST', '/containers/create', bad))]);
  assert.equal(r1.out, '');
  assert.match(r1.refused[0]!, /UNC/);
  const chunked = 'POST /build HTTP/1.1\r\nHost: d\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nC:\\x \r\n0\r\n\r\n';
  const after = req('POST', '/containers/create', JSON.stringify({ HostConfig: { Binds: ['c:/a:/a'] } }));
  const r2 = await through([Buffer.from(chunked + after)]);
  assert.ok(r2.out.startsWith(chunked));
  assert.ok(r2.out.includes('/mnt/c/a:/a'));
  const upgrade = 'POST /containers/x/attach?stream=1 HTTP/1.1\r\nHost: d\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n';
  const raw = req('POST', '/containers/create', JSON.stringify({ HostConfig: { Binds: ['c:/a:/a'] } }));
  const r3 = await through([Buffer.from(upgrade + raw)]);
  // After a hijack, bytes are the container's stdin: never parsed.
  assert.equal(r3.out, upgrade + raw);
});
