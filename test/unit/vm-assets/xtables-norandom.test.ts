import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { HELPER_CFLAGS, helperCompiler } from '../../../vm-assets/builder/helpers.js';
import { assertFreestanding } from './helper-elf.js';

/**
 * The guest's iptables wrapper (vm-assets/guest/helpers/xtables-norandom.c), compiled
 * with the builder's flags and run for real on the host, its target swapped for a
 * program that shows what it received.
 */
const SOURCE = path.join(import.meta.dirname, '../../../vm-assets/guest/helpers/xtables-norandom.c');
const ADDR_NO_RANDOMIZE = 0x0040000;

function compile(target: string, cc = 'gcc'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wharf-norandom-'));
  const out = path.join(dir, 'xtables-norandom');
  execFileSync(cc, [...HELPER_CFLAGS, `-DTARGET="${target}"`, '-o', out, SOURCE]);
  return out;
}

test('the target runs with address-space randomization off, and the caller keeps it', { skip: process.arch !== 'x64' && process.arch !== 'arm64' }, () => {
  const bin = compile('/bin/cat');
  const persona = Number.parseInt(execFileSync(bin, ['/proc/self/personality'], { encoding: 'utf8' }).trim(), 16);
  assert.equal(persona & ADDR_NO_RANDOMIZE, ADDR_NO_RANDOMIZE);
  const mine = Number.parseInt(fs.readFileSync('/proc/self/personality', 'utf8').trim(), 16);
  assert.equal(mine & ADDR_NO_RANDOMIZE, 0, 'the test runner itself stays randomized');
});

// busybox picks its applet by argv[0], as xtables-nft-multi picks iptables, ip6tables, -save or -restore.
const BUSYBOX = ['/bin/busybox', '/usr/bin/busybox'].find((p) => fs.existsSync(p));

test('argv[0], the arguments and the environment pass through unchanged', { skip: !BUSYBOX && 'busybox not installed' }, () => {
  const bin = compile(BUSYBOX!);
  const dir = path.dirname(bin);
  fs.symlinkSync(bin, path.join(dir, 'echo'));
  fs.symlinkSync(bin, path.join(dir, 'env'));
  assert.equal(execFileSync(path.join(dir, 'echo'), ['a b', 'c'], { encoding: 'utf8' }), 'a b c\n');
  const env = execFileSync(path.join(dir, 'env'), [], { encoding: 'utf8', env: { ...process.env, WHARF_PROBE: 'kept' } });
  assert.ok(env.split('\n').includes('WHARF_PROBE=kept'), env);
});

test('exit status of the target is the wrapper\'s', () => {
  const bin = compile('/bin/sh');
  assert.equal(spawnSync(bin, ['-c', 'exit 3']).status, 3);
});

test('a missing target fails with 127 and says which file', () => {
  const bin = compile('/nonexistent/xtables-nft-multi');
  const r = spawnSync(bin, ['-V'], { encoding: 'utf8' });
  assert.equal(r.status, 127);
  assert.match(r.stderr, /cannot run \/nonexistent\/xtables-nft-multi/);
});

test('the binary is static and freestanding for both guest architectures', (t) => {
  for (const arch of ['amd64', 'arm64'] as const) {
    const cc = helperCompiler(arch);
    if (spawnSync(cc, ['--version']).error) { t.diagnostic(`${cc} not installed: ${arch} not checked`); continue; }
    const bin = compile('/usr/sbin/xtables-nft-multi', cc);
    assertFreestanding(fs.readFileSync(bin), arch);
  }
});
