import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { isIgnored, packBuildContext, parseDockerignore } from '../../../src-main/core/engine/build-context.js';

test('.dockerignore rules: globs, ** , parents, exceptions, last match wins', () => {
  const rules = parseDockerignore('# comment\nnode_modules\n*.log\n!keep.log\n**/secret*\n/build/\ndocs/*.md\n');
  const cases: Array<[string, boolean]> = [
    ['node_modules', true], ['node_modules/x/y.js', true], ['a.log', true], ['keep.log', false],
    ['sub/a.log', false], ['deep/down/secret.txt', true], ['secret', true], ['build/out.o', true],
    ['docs/a.md', true], ['docs/sub/a.md', false], ['src/index.ts', false], ['Dockerfile', false],
  ];
  for (const [p, want] of cases) assert.equal(isIgnored(rules, p), want, p);
});

test('packs a folder as the CLI would: ignored files left out, Dockerfile always sent, symlinks kept', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wharf-ctx-'));
  fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM scratch\nCOPY . /\n');
  fs.writeFileSync(path.join(dir, '.dockerignore'), 'Dockerfile\nignored\n*.tmp\n');
  fs.mkdirSync(path.join(dir, 'ignored'));
  fs.writeFileSync(path.join(dir, 'ignored', 'x'), 'x');
  fs.mkdirSync(path.join(dir, 'src'));
  fs.writeFileSync(path.join(dir, 'src', 'a.txt'), 'a'.repeat(1000));
  fs.writeFileSync(path.join(dir, 'junk.tmp'), 'junk');
  fs.symlinkSync('src/a.txt', path.join(dir, 'link'));
  const stream = await packBuildContext(dir, 'Dockerfile');
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  const listing = execFileSync('tar', ['-tvf', '-'], { input: Buffer.concat(chunks) }).toString();
  const names = execFileSync('tar', ['-tf', '-'], { input: Buffer.concat(chunks) }).toString().trim().split('\n').sort();
  assert.deepEqual(names, ['.dockerignore', 'Dockerfile', 'link', 'src/', 'src/a.txt']);
  assert.match(listing, /link -> src\/a\.txt/);
  await assert.rejects(packBuildContext(dir, 'Nope.Dockerfile'), /There is no Nope\.Dockerfile/);
  await assert.rejects(packBuildContext(path.join(dir, 'missing'), 'Dockerfile'), /is not a folder/);
  fs.rmSync(dir, { recursive: true, force: true });
});
