import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

/**
 * The guest's .syncignore translator (vm-assets/guest/root/usr/lib/wharf/sync-ignore),
 * run for real: with busybox awk, the guest's own, and with the host's awk. The ERE
 * half is checked with grep -E, the profile half is what unison reads
 * (test/integration/synced-shares.test.ts shows unison honouring it).
 */
const SCRIPT = path.join(import.meta.dirname, '../../../vm-assets/guest/root/usr/lib/wharf/sync-ignore');
const BUSYBOX = ['/bin/busybox', '/usr/bin/busybox'].find((p) => fs.existsSync(p));

function awkDirs(): Array<[string, string | undefined]> {
  const dirs: Array<[string, string | undefined]> = [['host awk', undefined]];
  if (BUSYBOX) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wharf-bb-awk-'));
    fs.symlinkSync(BUSYBOX, path.join(dir, 'awk'));
    dirs.push(['busybox awk (the guest\'s)', dir]);
  }
  return dirs;
}

const translate = (mode: 'profile' | 'ere', input: string, awkDir?: string): string[] =>
  execFileSync('sh', [SCRIPT, mode], {
    input,
    encoding: 'utf8',
    env: { ...process.env, PATH: awkDir ? `${awkDir}:${process.env.PATH ?? ''}` : process.env.PATH },
  }).split('\n').filter(Boolean);

/** Which of `paths` the ERE lines drop, as the guest's `grep -vxEf` does. */
function dropped(eres: string[], paths: string[]): string[] {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wharf-ere-')), 'ere');
  fs.writeFileSync(file, eres.join('\n') + '\n');
  const out = execFileSync('sh', ['-c', 'grep -xEf "$0" || true', file], { input: paths.join('\n') + '\n', encoding: 'utf8' });
  return out.split('\n').filter(Boolean);
}

for (const [label, dir] of awkDirs()) {
  test(`.syncignore in .gitignore syntax becomes unison rules (${label})`, () => {
    const input = [
      '# dependencies, built in the container',
      'node_modules/',
      '',
      '/build',
      '*.log',
      '!keep.log',
      'src/**/gen',
      '**/cache',
      'docs/*.tmp   ',
      '\\#literal',
      'a.b+c',
      'file?[!0-9].txt\r',
    ].join('\n');
    assert.deepEqual(translate('profile', input, dir), [
      'ignore = Regex (.*/)?node_modules',
      'ignore = Regex build',
      'ignore = Regex (.*/)?[^/]*\\.log',
      'ignorenot = Regex (.*/)?keep\\.log',
      'ignore = Regex src/(.*/)?gen',
      'ignore = Regex (.*/)?cache',
      'ignore = Regex docs/[^/]*\\.tmp',
      'ignore = Regex (.*/)?#literal',
      'ignore = Regex (.*/)?a\\.b\\+c',
      'ignore = Regex (.*/)?file[^/][^0-9]\\.txt',
    ]);
    // A re-include means only unison can decide: no early drop at all.
    assert.deepEqual(translate('ere', input, dir), []);
  });

  test(`the ERE form drops exactly the ignored paths and what is below them (${label})`, () => {
    const eres = translate('ere', 'node_modules\n/build\n*.log\nsrc/**/gen\n', dir);
    assert.equal(eres.length, 4);
    const paths = [
      'node_modules', 'node_modules/x/index.js', 'pkg/node_modules/y.js', 'node_modules_old/z',
      'build', 'build/out.o', 'src/build/keep.c',
      'app.log', 'logs/deep/b.log', 'log.txt',
      'src/gen', 'src/a/b/gen/x.c', 'gen/x.c',
      'main.c',
    ];
    assert.deepEqual(dropped(eres, paths), [
      'node_modules', 'node_modules/x/index.js', 'pkg/node_modules/y.js',
      'build', 'build/out.o',
      'app.log', 'logs/deep/b.log',
      'src/gen', 'src/a/b/gen/x.c',
    ]);
  });
}

test('an empty or comment-only .syncignore ignores nothing', () => {
  assert.deepEqual(translate('profile', '# nothing\n\n   \n'), []);
  assert.deepEqual(translate('ere', ''), []);
});
