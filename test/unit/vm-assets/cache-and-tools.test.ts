import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { defaultCacheDir, imageDir, removeStaleTemps } from '../../../vm-assets/builder/cache.js';
import { BuildError, requireHostTools, run } from '../../../vm-assets/builder/exec.js';

test('the cache defaults to ~/.cache/wharf and honours WHARF_CACHE', () => {
  assert.equal(defaultCacheDir({ WHARF_CACHE: '/x/y' }), '/x/y');
  assert.equal(defaultCacheDir({}), path.join(os.homedir(), '.cache', 'wharf'));
  assert.equal(imageDir('/c', 'abc'), path.join('/c', 'images', 'abc'));
});

test('temp dirs of dead builds are removed, a live build and finished images are kept', async () => {
  const cache = await mkdtemp(path.join(os.tmpdir(), 'wharf-cache-test-'));
  try {
    const images = path.join(cache, 'images');
    // pid 2^22+1 is above Linux's pid_max default range, so no process has it.
    for (const d of ['.tmp-aaaa-4194305', `.tmp-bbbb-${process.pid}`, '0123456789abcdef']) await mkdir(path.join(images, d), { recursive: true });
    await removeStaleTemps(images);
    assert.deepEqual((await readdir(images)).sort(), [`.tmp-bbbb-${process.pid}`, '0123456789abcdef']);
  } finally {
    await rm(cache, { recursive: true, force: true });
  }
});

test('missing host tools are all named with the package to install', async () => {
  const headers = { '/wharf/no/such.h': 'libwharf-dev', '/etc/passwd': 'base-files' };
  await assert.rejects(requireHostTools({ 'wharf-no-such-tool': 'wharf-pkg', sh: 'dash' }, headers), (e: Error) => {
    assert.ok(e instanceof BuildError);
    assert.match(e.message, /wharf-no-such-tool {2}\(sudo apt-get install wharf-pkg\)/);
    assert.match(e.message, /\/wharf\/no\/such\.h {2}\(sudo apt-get install libwharf-dev\)/);
    assert.doesNotMatch(e.message, /dash|base-files/);
    return true;
  });
});

test('run hands over every output line as it comes, the last one too, without mixing streams', async () => {
  const lines: string[] = [];
  await run('sh', ['-c', 'printf "  CC a.o\\n  CC b"; printf "warn 1\\nwarn 2" >&2; printf ".o\\n"'], { onLine: (l) => lines.push(l), capture: false });
  assert.deepEqual([...lines].sort(), ['  CC a.o', '  CC b.o', 'warn 1', 'warn 2']);
});

test('run passes arguments verbatim (no shell) and reports failures with stderr', async () => {
  const { stdout } = await run('printf', ['%s|', 'a b', '$(echo no)', ';rm -rf /']);
  assert.equal(stdout, 'a b|$(echo no)|;rm -rf /|');
  await assert.rejects(run('sh', ['-c', 'echo boom >&2; exit 3']), /exit 3[\s\S]*boom/);
});
