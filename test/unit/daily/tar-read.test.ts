import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { childrenOf } from '../../../src-main/core/engine/files-service.js';
import { TarReader, type TarHeader } from '../../../src-main/core/util/tar-read.js';
import { tarBuffer } from '../../../src-main/core/util/tar.js';

function readAll(buf: Buffer, pieceSize: number): { headers: TarHeader[]; bodies: Map<string, Buffer> } {
  const headers: TarHeader[] = [];
  const bodies = new Map<string, Buffer[]>();
  const r = new TarReader({
    onEntry: (h) => { headers.push(h); },
    onData: (h, chunk) => { bodies.set(h.name, [...(bodies.get(h.name) ?? []), Buffer.from(chunk)]); },
  });
  for (let at = 0; at < buf.length; at += pieceSize) r.write(buf.subarray(at, at + pieceSize));
  assert.equal(r.ended, true);
  return { headers, bodies: new Map([...bodies].map(([k, v]) => [k, Buffer.concat(v)])) };
}

test('reads GNU tar output (long names, symlinks, dirs) in any chunking, bodies intact', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wharf-tar-'));
  const root = path.join(dir, 'root');
  const long = 'a'.repeat(120);
  fs.mkdirSync(path.join(root, 'sub', long), { recursive: true });
  fs.writeFileSync(path.join(root, 'hello.txt'), 'hello\n');
  const big = Buffer.alloc(70_000, 7);
  fs.writeFileSync(path.join(root, 'sub', long, 'big.bin'), big);
  fs.symlinkSync('hello.txt', path.join(root, 'link'));
  for (const format of ['gnu', 'pax']) {
    const tar = execFileSync('tar', [`--format=${format}`, '-C', root, '-cf', '-', '.']);
    for (const piece of [1, 511, 512, 4096, tar.length]) {
      const { headers, bodies } = readAll(tar, piece);
      const names = headers.map((h) => h.name).sort();
      assert.ok(names.includes(`sub/${long}/big.bin`), `${format}/${piece}: ${names.join(',')}`);
      assert.deepEqual(bodies.get(`sub/${long}/big.bin`), big);
      assert.equal(bodies.get('hello.txt')?.toString(), 'hello\n');
      const link = headers.find((h) => h.name === 'link')!;
      assert.equal(link.type, '2');
      assert.equal(link.linkname, 'hello.txt');
      const kids = childrenOf(headers);
      assert.deepEqual(kids.map((k) => `${k.type}:${k.name}`), ['dir:sub', 'file:hello.txt', 'symlink:link']);
      assert.equal(kids.find((k) => k.name === 'hello.txt')!.size, 6);
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

test('our own writer round-trips through the reader, PAX long names included', () => {
  const name = `dir/${'n'.repeat(150)}.txt`;
  const tar = tarBuffer([{ name, data: Buffer.from('x'.repeat(1000)) }, { name: 'short', data: Buffer.alloc(0) }]);
  const { headers, bodies } = readAll(tar, 100);
  assert.deepEqual(headers.map((h) => h.name), [name, 'short']);
  assert.equal(bodies.get(name)?.length, 1000);
  // And GNU tar agrees.
  const listed = execFileSync('tar', ['-tf', '-'], { input: tar }).toString().trim().split('\n');
  assert.deepEqual(listed, [name, 'short']);
});
