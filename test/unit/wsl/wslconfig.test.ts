import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { checkWslConfigValues, formatWslSize, mergeWslConfig, readWslConfig } from '../../../src-main/core/vm/wsl/wslconfig-merge.js';
import { WslConfigFile, wslConfigPath } from '../../../src-main/core/vm/wsl/wslconfig-file.js';

const v = { processors: 4, memoryMiB: 4096, swapMiB: 2048 };

test('keys, comments, other sections and blank lines are kept; the three keys change in place', () => {
  const before = [
    '# my WSL settings',
    '[wsl2]',
    'memory=8GB  # half of this laptop',
    'localhostForwarding=true',
    '',
    '; GUI apps off',
    'guiApplications=false',
    '',
    '[experimental]',
    'autoMemoryReclaim=gradual',
    '',
  ].join('\n');
  const after = mergeWslConfig(before, v);
  assert.equal(after, [
    '# my WSL settings',
    '[wsl2]',
    'memory=4GB  # half of this laptop',
    'localhostForwarding=true',
    '',
    '; GUI apps off',
    'guiApplications=false',
    'processors=4',
    'swap=2GB',
    '',
    '[experimental]',
    'autoMemoryReclaim=gradual',
    '',
  ].join('\n'));
  assert.deepEqual(readWslConfig(after), { processors: '4', memory: '4GB', swap: '2GB' });
});

test('a file without [wsl2] gets the section appended; an empty file becomes one section (CRLF)', () => {
  assert.equal(mergeWslConfig('[experimental]\nsparseVhd=true', v), '[experimental]\nsparseVhd=true\n\n[wsl2]\nprocessors=4\nmemory=4GB\nswap=2GB\n');
  assert.equal(mergeWslConfig('', v), '[wsl2]\r\nprocessors=4\r\nmemory=4GB\r\nswap=2GB\r\n');
});

test('section names and keys match case-insensitively; their spelling is kept', () => {
  const after = mergeWslConfig('[WSL2]\nProcessors = 8\nMemory=16GB\n', { processors: 2, memoryMiB: 1536, swapMiB: 0 });
  assert.equal(after, '[WSL2]\nProcessors = 2\nMemory=1536MB\nswap=0\n');
});

test('duplicate keys: the first is set, later ones (also in a second [wsl2]) are commented out', () => {
  const before = '[wsl2]\nmemory=8GB\nmemory=12GB\n[other]\nmemory=1GB\n[wsl2]\nprocessors=6\nswap=0\n';
  const after = mergeWslConfig(before, v);
  const lines = after.split('\n');
  assert.equal(lines[1], 'memory=4GB');
  assert.match(lines[2]!, /^# memory=12GB .*duplicate/);
  assert.equal(lines[4], 'memory=1GB', 'a key of another section is not ours');
  assert.equal(lines[6], 'processors=4');
  assert.equal(lines[7], 'swap=2GB');
  assert.deepEqual(readWslConfig(after), { processors: '4', memory: '4GB', swap: '2GB' });
});

test('a UTF-8 BOM and CRLF line endings are kept as found', () => {
  const before = '\uFEFF[wsl2]\r\nmemory=8GB\r\nnestedVirtualization=false\r\n';
  const after = mergeWslConfig(before, v);
  assert.ok(after.startsWith('\uFEFF[wsl2]\r\n'));
  assert.equal(after, '\uFEFF[wsl2]\r\nmemory=4GB\r\nnestedVirtualization=false\r\nprocessors=4\r\nswap=2GB\r\n');
  assert.ok(!/[^\r]\n/.test(after), 'no bare LF in a CRLF file');
});

test('the last line without a newline still gets the new keys on their own lines', () => {
  assert.equal(mergeWslConfig('[wsl2]\r\nswap=0', v), '[wsl2]\r\nswap=2GB\r\nprocessors=4\r\nmemory=4GB\r\n');
});

test('bad values are refused with what is wrong', () => {
  assert.deepEqual(checkWslConfigValues(v), []);
  assert.match(checkWslConfigValues({ ...v, processors: 0 }).join(), /processors must be a whole number of CPUs, at least 1; got 0/);
  assert.match(checkWslConfigValues({ ...v, memoryMiB: 100 }).join(), /memory must be .* between 256/);
  assert.match(checkWslConfigValues({ ...v, swapMiB: -1 }).join(), /swap must be .*got -1/);
  assert.match(checkWslConfigValues({ ...v, processors: 1.5 }).join(), /got 1.5/);
  assert.throws(() => mergeWslConfig('', { ...v, memoryMiB: Number.NaN }), /memory must be/);
  assert.equal(formatWslSize(0), '0');
  assert.equal(formatWslSize(2048), '2GB');
  assert.equal(formatWslSize(1000), '1000MB');
});

const dirs: string[] = [];
after(async () => { for (const d of dirs) await fs.rm(d, { recursive: true, force: true }); });
async function tmp(): Promise<string> {
  const d = await fs.mkdtemp(path.join(os.tmpdir(), 'wharf-wslconfig-'));
  dirs.push(d);
  return d;
}
const values = { cpus: 2, memoryMiB: 3072, swapMiB: 0 };

test('without consent nothing is written, not even a backup', async () => {
  const dir = await tmp();
  const file = path.join(dir, '.wslconfig');
  await fs.writeFile(file, '[wsl2]\nmemory=8GB\n');
  const cfg = new WslConfigFile(file);
  await assert.rejects(cfg.write(values, { consent: false }), (e: Error & { code?: string }) => e.code === 'consent-required' && /Nothing was written/.test(e.message));
  assert.equal(await fs.readFile(file, 'utf8'), '[wsl2]\nmemory=8GB\n');
  assert.deepEqual(await fs.readdir(dir), ['.wslconfig']);
});

test('with consent: a backup of the old bytes first, then the merged file; a second identical write changes nothing', async () => {
  const dir = await tmp();
  const file = path.join(dir, '.wslconfig');
  const original = Buffer.from('\uFEFF# mine\r\n[wsl2]\r\nkernelCommandLine=quiet\r\nmemory=8GB\r\n', 'utf8');
  await fs.writeFile(file, original);
  const cfg = new WslConfigFile(file, () => new Date('2026-12-02T03:04:05.678Z'));
  const r = await cfg.write(values, { consent: true });
  assert.equal(r.changed, true);
  assert.equal(r.backup, `${file}.wharf-backup-20261202T030405Z`);
  assert.deepEqual(await fs.readFile(r.backup!), original, 'the backup is the file as it was, byte for byte');
  assert.deepEqual(r.written, { cpus: '2', memory: '3GB', swap: '0' });
  assert.equal(await fs.readFile(file, 'utf8'), '\uFEFF# mine\r\n[wsl2]\r\nkernelCommandLine=quiet\r\nmemory=3GB\r\nprocessors=2\r\nswap=0\r\n');
  const again = await cfg.write(values, { consent: true });
  assert.equal(again.changed, false);
  assert.equal(again.backup, undefined);
  assert.equal((await fs.readdir(dir)).length, 2, 'no second backup, no temp file left');
  assert.deepEqual((await cfg.read()).current, { cpus: '2', memory: '3GB', swap: '0' });
});

test('a missing file is created (no backup: there was nothing); bad values write nothing', async () => {
  const dir = await tmp();
  const file = path.join(dir, '.wslconfig');
  const cfg = new WslConfigFile(file);
  assert.equal((await cfg.read()).exists, false);
  await assert.rejects(cfg.write({ ...values, cpus: 0 }, { consent: true }), /Nothing was written .*processors must be/);
  await assert.rejects(fs.stat(file), { code: 'ENOENT' });
  const r = await cfg.write(values, { consent: true });
  assert.equal(r.backup, undefined);
  assert.equal(await fs.readFile(file, 'utf8'), '[wsl2]\r\nprocessors=2\r\nmemory=3GB\r\nswap=0\r\n');
  assert.equal((await cfg.read()).exists, true);
});

test('a UTF-16LE ("Unicode" in Notepad) file stays UTF-16LE with its BOM', async () => {
  const dir = await tmp();
  const file = path.join(dir, '.wslconfig');
  await fs.writeFile(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('[wsl2]\r\nswap=8GB\r\n', 'utf16le')]));
  await new WslConfigFile(file).write(values, { consent: true });
  const bytes = await fs.readFile(file);
  assert.deepEqual([...bytes.subarray(0, 2)], [0xff, 0xfe]);
  assert.equal(bytes.subarray(2).toString('utf16le'), '[wsl2]\r\nswap=0\r\nprocessors=2\r\nmemory=3GB\r\n');
});

test('a symlinked .wslconfig is written through (the link stays a link)', async () => {
  const dir = await tmp();
  const real = path.join(dir, 'real.ini');
  const link = path.join(dir, '.wslconfig');
  await fs.writeFile(real, '[wsl2]\n');
  await fs.symlink(real, link);
  await new WslConfigFile(link).write(values, { consent: true });
  assert.ok((await fs.lstat(link)).isSymbolicLink());
  assert.match(await fs.readFile(real, 'utf8'), /processors=2/);
});

test('the path: WHARF_WSLCONFIG (tests) first, else %UserProfile%\\.wslconfig on Windows only', () => {
  assert.equal(wslConfigPath('linux', { WHARF_WSLCONFIG: '/tmp/x' }), '/tmp/x');
  assert.equal(wslConfigPath('win32', { USERPROFILE: 'C:\\Users\\ada' }), 'C:\\Users\\ada\\.wslconfig');
  assert.equal(wslConfigPath('linux', {}), undefined);
});
