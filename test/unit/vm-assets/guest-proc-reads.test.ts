import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../../support/wharf-env.js';

const GUEST = path.join(repoRoot, 'vm-assets', 'guest');

function guestScripts(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return guestScripts(p);
    return e.isFile() && /^#!\/bin\/(busybox )?sh/.test(fs.readFileSync(p, 'utf8').slice(0, 40)) ? [p] : [];
  });
}

// busybox's `read` builtin takes one byte per read(2); a sysctl file answers
// any read past offset 0 with end-of-file. fs-reclaim read "2" of "22145" that
// way, never dropped caches, and virtiofsd ran out of descriptors.
test('busybox read loses all but the first byte of a sysctl file (why guest scripts must not use it there)', { skip: fs.existsSync('/bin/busybox') ? false : 'no /bin/busybox on this host' }, () => {
  const whole = fs.readFileSync('/proc/sys/fs/inode-nr', 'utf8').split('\t')[0]!;
  const viaRead = execFileSync('/bin/busybox', ['sh', '-c', 'read -r n _ < /proc/sys/fs/inode-nr; echo "$n"'], { encoding: 'utf8' }).trim();
  const viaCut = execFileSync('/bin/busybox', ['sh', '-c', 'cut -f1 /proc/sys/fs/inode-nr'], { encoding: 'utf8' }).trim();
  assert.ok(whole.length > 1, `inode-nr is ${whole}`);
  assert.equal(viaRead, whole[0]);
  assert.ok(Math.abs(Number(viaCut) - Number(whole)) < 10_000, `cut read ${viaCut}, the file says ${whole}`);
});

test('no guest script reads a /proc/sys file with the shell read builtin', () => {
  const scripts = guestScripts(GUEST);
  assert.ok(scripts.some((s) => s.endsWith('fs-reclaim')), 'fs-reclaim is among the scripts checked');
  const bad = scripts.flatMap((s) => fs.readFileSync(s, 'utf8').split('\n')
    .map((line, i) => ({ line, where: `${path.relative(repoRoot, s)}:${i + 1}` }))
    .filter(({ line }) => /^\s*[^#]*\bread\b[^|]*<\s*\/proc\/sys\//.test(line)));
  assert.deepEqual(bad.map((b) => `${b.where}: ${b.line.trim()}`), []);
});
