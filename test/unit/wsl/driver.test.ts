import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { compareVersions, decodeWslOutput, parseDistroList, parseWslVersion } from '../../../src-main/core/vm/wsl/decode.js';
import { WslDriver } from '../../../src-main/core/vm/wsl/driver.js';
import { failureProblem, guidance, versionProblem, WSL_EXIT } from '../../../src-main/core/vm/wsl/guidance.js';

const recorded = (name: string) => fs.readFile(path.join(path.dirname(fileURLToPath(import.meta.url)), 'recorded', name));

test('UTF-16LE with and without a BOM, and UTF-8 under WSL_UTF8, decode to the same text', async () => {
  const plain = decodeWslOutput(await recorded('version-en.utf16le'));
  const bom = decodeWslOutput(await recorded('version-en.utf16le-bom'));
  assert.equal(plain, bom);
  assert.ok(plain.startsWith('WSL version: 2.0.14.0\nKernel version: 5.15.133.1-1\n'), JSON.stringify(plain.slice(0, 60)));
  assert.ok(!plain.includes('\u0000'));
  assert.equal(decodeWslOutput(await recorded('list-quiet.utf8')), decodeWslOutput(await recorded('list-quiet.utf16le')));
  // Linux output through --exec is raw UTF-8 bytes, umlauts included.
  assert.equal(decodeWslOutput(Buffer.from('Größe: 5\n')), 'Größe: 5\n');
});

test('--version: the numbers, in any language', async () => {
  assert.deepEqual(parseWslVersion(decodeWslOutput(await recorded('version-en.utf16le'))), { wsl: '2.0.14.0', kernel: '5.15.133.1' });
  assert.deepEqual(parseWslVersion(decodeWslOutput(await recorded('version-de.utf8'))), { wsl: '2.3.26.0', kernel: '5.15.167.4' });
  assert.equal(parseWslVersion(decodeWslOutput(await recorded('version-inbox-de.utf16le'))), undefined);
  assert.equal(compareVersions('2.1.5.0', '2.1.5'), 0);
  assert.equal(compareVersions('2.0.14.0', '2.1.5'), -1);
  assert.equal(compareVersions('2.10.0', '2.9.9'), 1);
});

test('--list --quiet: names only', async () => {
  assert.deepEqual(parseDistroList(decodeWslOutput(await recorded('list-quiet.utf16le'))), ['Ubuntu-22.04', 'wharf', 'wharf-data']);
  assert.deepEqual(parseDistroList(''), []);
});

test('exit codes, not sentences: 50, 0xFFFFFE44 and 4294967295 each get their guidance', async () => {
  assert.deepEqual(versionProblem(50, undefined), { kind: 'missing' });
  assert.deepEqual(versionProblem(0xfffffe44, undefined), { kind: 'no-kernel' });
  // Node reports some Windows exit codes as negative 32-bit numbers.
  assert.deepEqual(versionProblem(-444, undefined), { kind: 'no-kernel' });
  assert.deepEqual(versionProblem(WSL_EXIT.generic, undefined), { kind: 'too-old' });
  assert.deepEqual(versionProblem(-1, undefined), { kind: 'too-old' });
  const de = parseWslVersion(decodeWslOutput(await recorded('version-old-de.utf8')));
  assert.deepEqual(versionProblem(0, de), { kind: 'too-old', version: '1.2.5.0' });
  assert.equal(versionProblem(0, parseWslVersion(decodeWslOutput(await recorded('version-de.utf8')))), undefined);
  assert.match(guidance({ kind: 'missing' }), /wsl --install --no-distribution.*restart Windows/);
  assert.match(guidance({ kind: 'no-kernel' }), /wsl --update/);
  assert.match(guidance({ kind: 'too-old', version: '1.2.5.0' }), /WSL 1\.2\.5\.0 is older than 2\.1\.5.*wsl --update/);
  assert.match(guidance({ kind: 'virtualization-off' }), /Virtual Machine Platform.*firmware/);
  // A failed import carries wsl.exe's own words; the untranslated error code name picks the guidance.
  const words = decodeWslOutput(await recorded('import-hyperv-off-de.utf8'));
  assert.deepEqual(failureProblem(4294967295, words), { kind: 'virtualization-off' });
  const other = failureProblem(4294967295, 'Die Datei ist beschädigt.');
  assert.deepEqual(other, { kind: 'failed', words: 'Die Datei ist beschädigt.' });
  assert.equal(guidance(other), 'wsl.exe failed: Die Datei ist beschädigt.');
  assert.deepEqual(failureProblem(50, decodeWslOutput(await recorded('not-installed-de.utf16le'))), { kind: 'missing' });
});

/** A wsl.exe that replays a recorded file with an exit code, and records its environment. */
async function replaying(file: string, code: number): Promise<{ exe: string; envFile: string; argsFile: string }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'wharf-wslrec-'));
  const exe = path.join(dir, 'wsl.exe');
  const envFile = path.join(dir, 'env');
  const argsFile = path.join(dir, 'args');
  const src = path.join(path.dirname(fileURLToPath(import.meta.url)), 'recorded', file);
  await fs.writeFile(exe, `#!/bin/sh\necho "$WSL_UTF8" > '${envFile}'\necho "$@" > '${argsFile}'\ncat '${src}'\nexit ${code}\n`, { mode: 0o755 });
  return { exe, envFile, argsFile };
}

test('the driver sets WSL_UTF8=1 on every call and reads a UTF-16 answer anyway', async () => {
  const fake = await replaying('version-en.utf16le', 0);
  const d = new WslDriver({ exe: fake.exe });
  const r = await d.check();
  assert.equal((await fs.readFile(fake.envFile, 'utf8')).trim(), '1');
  assert.equal((await fs.readFile(fake.argsFile, 'utf8')).trim(), '--version');
  // 2.0.14 is below Docker Desktop's floor of 2.1.5.
  assert.deepEqual(r.problem, { kind: 'too-old', version: '2.0.14.0' });
  assert.deepEqual(r.versions, { wsl: '2.0.14.0', kernel: '5.15.133.1' });
});

test('the driver: a German WSL that is recent enough passes; a missing wsl.exe is "not installed"; exit 50 too', async () => {
  assert.equal((await new WslDriver({ exe: (await replaying('version-de.utf8', 0)).exe }).check()).problem, undefined);
  assert.deepEqual((await new WslDriver({ exe: '/nonexistent/wsl.exe' }).check()).problem, { kind: 'missing' });
  assert.deepEqual((await new WslDriver({ exe: (await replaying('not-installed-de.utf16le', 50)).exe }).check()).problem, { kind: 'missing' });
  const list = await new WslDriver({ exe: (await replaying('list-quiet.utf16le', 0)).exe }).list();
  assert.deepEqual(list, ['Ubuntu-22.04', 'wharf', 'wharf-data']);
});

test('the driver refuses --shutdown (it would stop every distro of the user) and reports a failed import in wsl.exe\'s words', async () => {
  const d = new WslDriver({ exe: (await replaying('import-hyperv-off-de.utf8', 1)).exe });
  assert.throws(() => d.run(['--shutdown']), /stops every distro/);
  await assert.rejects(d.importDistro('wharf', '/x', '/y.tar'), (e: Error & { code?: string }) => e.code === 'wsl-virtualization-off');
  const plain = new WslDriver({ exe: (await replaying('version-de.utf8', 1)).exe });
  await assert.rejects(plain.importDistro('wharf', '/x', '/y.tar'), /wsl\.exe failed: WSL-Version: 2\.3\.26\.0/);
});
