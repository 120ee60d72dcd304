import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import zlib from 'node:zlib';
import { tarBuffer, tarGz } from '../../../src-main/core/util/tar.js';
import { readTar } from './read-tar.js';

test('entries round-trip, including names longer than 100 bytes (PAX)', () => {
  const long = 'd/' + 'x'.repeat(150) + '.log';
  const buf = tarBuffer([
    { name: 'a.txt', data: Buffer.from('hello') },
    { name: long, data: Buffer.from('long one') },
    { name: 'empty', data: Buffer.alloc(0) },
    { name: 'block.bin', data: Buffer.alloc(512, 65) },
  ]);
  assert.equal(buf.length % 512, 0);
  const files = readTar(buf);
  assert.deepEqual([...files.keys()], ['a.txt', long, 'empty', 'block.bin']);
  assert.equal(files.get('a.txt'), 'hello');
  assert.equal(files.get(long), 'long one');
  assert.equal(files.get('block.bin'), 'A'.repeat(512));
});

test('the system tar (when present) reads what we write', async (t) => {
  const probe = spawnSync('tar', ['--version']);
  if (probe.status !== 0) {
    t.skip('no tar binary on this machine');
    return;
  }
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'wharf-tar-'));
  const archive = path.join(dir, 'x.tar.gz');
  const long = 'root/' + 'y'.repeat(120) + '.txt';
  await fs.writeFile(archive, await tarGz([{ name: 'root/a.txt', data: Buffer.from('A') }, { name: long, data: Buffer.from('B') }]));
  const list = spawnSync('tar', ['-tzf', archive], { encoding: 'utf8' });
  assert.equal(list.status, 0, list.stderr);
  assert.deepEqual(list.stdout.trim().split('\n'), ['root/a.txt', long]);
  const x = spawnSync('tar', ['-xzf', archive, '-C', dir], { encoding: 'utf8' });
  assert.equal(x.status, 0, x.stderr);
  assert.equal(await fs.readFile(path.join(dir, long), 'utf8'), 'B');
});

test('tarGz is gzip', async () => {
  const gz = await tarGz([{ name: 'a', data: Buffer.from('x') }]);
  assert.equal(gz[0], 0x1f);
  assert.equal(gz[1], 0x8b);
  assert.equal(readTar(zlib.gunzipSync(gz)).get('a'), 'x');
});

