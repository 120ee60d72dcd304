import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { decodeWslOutput, parseDistroList, parseWslVersion } from '../../../src-main/core/vm/wsl/decode.js';
import { WslDriver } from '../../../src-main/core/vm/wsl/driver.js';
import { failureProblem, guidance, versionProblem } from '../../../src-main/core/vm/wsl/guidance.js';
import { PUBLIC_OUTPUTS as P, asWslBytes, type PublicOutput } from './recorded/public.js';

/**
 * The driver against wsl.exe output that users pasted into public GitHub
 * issues (sources next to each entry in recorded/public.ts), in all three
 * encodings wsl.exe uses. Only numbers, exit codes and untranslated error code
 * names may decide anything: the same outcome in English, Italian, French,
 * Hungarian and Chinese.
 */
const FORMS = ['utf16le', 'utf16le-bom', 'utf8'] as const;

test('every recorded output decodes to its text in every encoding (Chinese and Hungarian included)', () => {
  for (const [name, o] of Object.entries(P) as Array<[string, PublicOutput]>) {
    for (const form of FORMS) {
      assert.equal(decodeWslOutput(asWslBytes(o.text, form)).trimEnd(), o.text, `${name} as ${form} (${o.source})`);
    }
  }
});

test('--version: the first two numbers, whatever the labels say', () => {
  for (const form of FORMS) {
    assert.deepEqual(parseWslVersion(decodeWslOutput(asWslBytes(P.versionEn125.text, form))), { wsl: '1.2.5.0', kernel: '5.15.90.1' });
    assert.deepEqual(parseWslVersion(decodeWslOutput(asWslBytes(P.versionEn224.text, form))), { wsl: '2.2.4.0', kernel: '5.15.153.1' });
    assert.deepEqual(parseWslVersion(decodeWslOutput(asWslBytes(P.versionIt070.text, form))), { wsl: '0.70.0.0', kernel: '5.15.68.1' });
    assert.equal(parseWslVersion(decodeWslOutput(asWslBytes(P.versionInbox.text, form))), undefined, 'the inbox help text has no version numbers');
  }
  assert.equal(versionProblem(P.versionEn224.exit, parseWslVersion(P.versionEn224.text)), undefined, '2.2.4 is new enough');
  assert.deepEqual(versionProblem(P.versionEn125.exit, parseWslVersion(P.versionEn125.text)), { kind: 'too-old', version: '1.2.5.0' });
  assert.deepEqual(versionProblem(P.versionIt070.exit, parseWslVersion(P.versionIt070.text)), { kind: 'too-old', version: '0.70.0.0' });
  assert.deepEqual(versionProblem(P.versionInbox.exit, parseWslVersion(P.versionInbox.text)), { kind: 'too-old' });
  assert.match(guidance({ kind: 'too-old' }), /wsl --update/);
});

test('--list: a machine without distributions lists none, whatever its exit code; sentences and URLs are not names', () => {
  for (const form of FORMS) assert.deepEqual(parseDistroList(decodeWslOutput(asWslBytes(P.listNoDistros.text, form))), []);
  // --list --verbose (never asked for) shows why: the STATE column is words, and the header is not a distro.
  assert.deepEqual(parseDistroList(P.listVerbose.text), []);
});

test('failed imports and starts: the untranslated error code name picks the guidance, else wsl.exe\'s own words', () => {
  assert.deepEqual(failureProblem(P.importHypervOffEn.exit, P.importHypervOffEn.text), { kind: 'virtualization-off' });
  assert.deepEqual(failureProblem(P.importServiceMissingFr.exit, decodeWslOutput(asWslBytes(P.importServiceMissingFr.text, 'utf16le'))), { kind: 'virtualization-off' });
  for (const o of [P.accessDeniedHu, P.accessDeniedZh]) {
    const words = decodeWslOutput(asWslBytes(o.text, 'utf16le')).trim();
    const p = failureProblem(o.exit, words);
    assert.equal(p.kind, 'failed');
    assert.equal(guidance(p), `wsl.exe failed: ${o.text}`, 'shown in wsl.exe\'s words, not garbled');
  }
});

const dirs: string[] = [];
after(async () => { for (const d of dirs) await fs.rm(d, { recursive: true, force: true }); });

/** A wsl.exe that answers with a recorded output, in one encoding, with its exit code. */
async function replaying(o: PublicOutput, form: typeof FORMS[number], stream: 'stdout' | 'stderr' = 'stdout'): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'wharf-wslpub-'));
  dirs.push(dir);
  await fs.writeFile(path.join(dir, 'out'), asWslBytes(o.text, form));
  const exe = path.join(dir, 'wsl.exe');
  await fs.writeFile(exe, `#!/bin/sh\ncat '${path.join(dir, 'out')}'${stream === 'stderr' ? ' >&2' : ''}\nexit ${o.exit % 256}\n`, { mode: 0o755 });
  return exe;
}

test('the driver end to end on recorded outputs: check(), list() and importDistro()', async () => {
  for (const form of FORMS) {
    assert.equal((await new WslDriver({ exe: await replaying(P.versionEn224, form) }).check()).problem, undefined, form);
    assert.deepEqual((await new WslDriver({ exe: await replaying(P.versionIt070, form) }).check()).problem, { kind: 'too-old', version: '0.70.0.0' }, form);
    assert.deepEqual(await new WslDriver({ exe: await replaying(P.listNoDistros, form) }).list(), [], form);
    // Even if a WSL answered that text with exit code 0, it is not a list of names.
    assert.deepEqual(await new WslDriver({ exe: await replaying({ ...P.listNoDistros, exit: 0 }, form) }).list(), [], form);
    await assert.rejects(new WslDriver({ exe: await replaying(P.importHypervOffEn, form, 'stderr') }).importDistro('wharf', '/x', '/y.tar'),
      (e: Error & { code?: string }) => e.code === 'wsl-virtualization-off' && /Virtual Machine Platform/.test(e.message), form);
    await assert.rejects(new WslDriver({ exe: await replaying(P.accessDeniedZh, form) }).importDistro('wharf', '/x', '/y.tar'),
      (e: Error) => e.message.includes('拒绝访问') && e.message.includes('E_ACCESSDENIED'), form);
  }
});
