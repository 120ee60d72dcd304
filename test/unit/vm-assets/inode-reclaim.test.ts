import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { Readable } from 'node:stream';
import { HELPER_CFLAGS, helperCompiler } from '../../../vm-assets/builder/helpers.js';
import { assertFreestanding } from './helper-elf.js';

/**
 * fs-reclaim's loop (vm-assets/guest/helpers/inode-reclaim.c), compiled with the
 * builder's flags and run for real on the host against files standing in for
 * /proc/sys/fs/inode-nr and /proc/sys/vm/drop_caches.
 */
const SOURCE = path.join(import.meta.dirname, '../../../vm-assets/guest/helpers/inode-reclaim.c');
const native = process.arch === 'x64' || process.arch === 'arm64';

function compile(cc = 'gcc'): string {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wharf-reclaim-')), 'inode-reclaim');
  execFileSync(cc, [...HELPER_CFLAGS, '-o', out, SOURCE]);
  return out;
}

async function until(what: string, ok: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('drops above the bar, moves the bar above what stayed, logs the first drop once on fd 4', { skip: !native }, async () => {
  const bin = compile();
  const dir = path.dirname(bin);
  const nr = path.join(dir, 'inode-nr');
  const drop = path.join(dir, 'drop_caches');
  fs.writeFileSync(nr, '5000\t100\n');
  fs.writeFileSync(drop, '');
  // Limit 10,000: the bar starts at a fifth (2,000); above a tenth (1,000) it looks ten times a second.
  const child = spawn(bin, ['10000', nr, drop], { stdio: ['ignore', 'ignore', 'pipe', 'ignore', 'pipe'] });
  let log = '';
  (child.stdio[4] as Readable).on('data', (d: Buffer) => { log += d.toString(); });
  try {
    await until('the first drop', () => fs.readFileSync(drop, 'utf8') === '2');
    await until('the log line', () => log.includes('\n'));
    assert.equal(log, "wharf: shared folders: 5000 cached inodes near the host's limit of 10000 descriptors; released to 5000\n");
    // 5,000 stayed cached: the bar is now 6,000, so 5,500 drops nothing (ten looks at least).
    // Each drop writes "2" at offset 0 (a sysctl ignores writes past it): emptied, the file shows the next.
    fs.writeFileSync(drop, '');
    fs.writeFileSync(nr, '5500\t100\n');
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(fs.readFileSync(drop, 'utf8'), '');
    fs.writeFileSync(nr, '7000\t100\n');
    await until('the second drop', () => fs.readFileSync(drop, 'utf8') === '2');
    assert.equal(log.split('\n').length, 2, 'only the first drop is logged');
  } finally {
    child.kill('SIGKILL');
  }
});

test('bad arguments and missing files say what is wrong', { skip: !native }, () => {
  const bin = compile();
  for (const args of [[], ['0'], ['x'], ['10', 'only-one-path']]) {
    const r = spawnSync(bin, args, { encoding: 'utf8' });
    assert.equal(r.status, 2, args.join(' '));
    assert.match(r.stderr, /usage: inode-reclaim LIMIT/);
  }
  const r = spawnSync(bin, ['10', '/nonexistent/inode-nr', '/dev/null'], { encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /cannot open \/nonexistent\/inode-nr/);
});

test('the binary is static and freestanding for both guest architectures', (t) => {
  for (const arch of ['amd64', 'arm64'] as const) {
    const cc = helperCompiler(arch);
    if (spawnSync(cc, ['--version']).error) { t.diagnostic(`${cc} not installed: ${arch} not checked`); continue; }
    assertFreestanding(fs.readFileSync(compile(cc)), arch);
  }
});
