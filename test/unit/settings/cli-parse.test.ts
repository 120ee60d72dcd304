import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UserError } from '../../../src-main/core/errors.js';
import { formatGet, parseSetArgs } from '../../../src-main/core/settings/cli-parse.js';
import { parseGiB, parseMiB } from '../../../src-main/core/settings/units.js';
import { fakeDefaults } from './helpers.js';

function fails(tokens: string[]): string {
  try {
    parseSetArgs(tokens);
  } catch (err) {
    assert.ok(err instanceof UserError);
    return err.message;
  }
  assert.fail(`expected ${tokens.join(' ')} to fail`);
}

test('every key parses to its typed value', () => {
  assert.deepEqual(
    parseSetArgs(['cpus=2', 'memory=2GiB', 'swap=512MiB', 'disk=80GiB', 'accelerator=tcg', 'backend=qemu',
      'switchContext=false', 'startAtLogin=TRUE', 'fileShares=/a,/b', 'daemonJson={"debug":true}']),
    { cpus: 2, memory: 2048, swap: 512, disk: 80, accelerator: 'tcg', backend: 'qemu', switchContext: false,
      startAtLogin: true, fileShares: ['/a', '/b'], daemonJson: { debug: true } },
  );
});

test('sizes: bare numbers are the setting\'s unit; MiB/GiB/TiB and G/M shorthands work', () => {
  assert.equal(parseMiB('2048'), 2048);
  assert.equal(parseMiB('2GiB'), 2048);
  assert.equal(parseMiB('512MiB'), 512);
  assert.equal(parseMiB('1.5g'), 1536);
  assert.equal(parseGiB('80'), 80);
  assert.equal(parseGiB('80GiB'), 80);
  assert.equal(parseGiB('1TiB'), 1024);
  assert.throws(() => parseMiB('2 bananas'), /unknown unit "bananas"/);
  assert.throws(() => parseGiB('1.3GiB'), /whole number of GiB/);
});

test('an unknown key lists the valid keys', () => {
  assert.equal(fails(['cpu=2']), '"cpu" is not a setting; valid settings are: cpus, memory, swap, disk, accelerator, backend, switchContext, fileShares, fileSharing, syncedShares, daemonJson, startAtLogin, httpProxy, httpsProxy, noProxy, containerHttpProxy, containerHttpsProxy, containerNoProxy, resourceSaverMinutes.');
});

test('a missing "=" or an empty key is explained', () => {
  assert.match(fails(['cpus']), /"cpus" is missing "="; write key=value, e.g. cpus=…/);
  assert.match(fails(['=2']), /no key before "="/);
});

test('non-numeric values, bad booleans and bad JSON are refused with the key named', () => {
  assert.equal(fails(['cpus=two']), 'cpus: expected a whole number; got "two".');
  assert.match(fails(['memory=lots']), /^memory: expected a number with an optional unit/);
  assert.match(fails(['switchContext=yes']), /^switchContext: expected true or false; got "yes"/);
  assert.match(fails(['daemonJson={debug: true}']), /^daemonJson: daemon\.json is not valid JSON: .* at line 1, column 2\.$/);
  assert.match(fails(['daemonJson={"tls": true}']), /^daemonJson: "tls" cannot be set/);
});

test('duplicates are refused', () => {
  assert.match(fails(['cpus=1', 'cpus=2']), /cpus is given more than once/);
});

test('all problems are reported together, one per line', () => {
  assert.equal(fails(['cpus=x', 'nope=1', 'memory']).split('\n').length, 3);
});

test('negative numbers pass through so validation can say the allowed range', () => {
  assert.deepEqual(parseSetArgs(['cpus=-1', 'memory=-5', 'disk=-1']), { cpus: -1, memory: -5, disk: -1 });
});

test('no tokens at all explains usage', () => {
  assert.match(fails([]), /Nothing to set\. Usage: wharf set key=value/);
});

test('share paths: empty list, ~ and relative paths resolved against the CLI\'s cwd', () => {
  assert.deepEqual(parseSetArgs(['fileShares=']), { fileShares: [] });
  assert.deepEqual(parseSetArgs(['fileShares=~/code,src, /abs'], { home: '/home/dev', cwd: '/work' }), { fileShares: ['/home/dev/code', '/work/src', '/abs'] });
  assert.deepEqual(parseSetArgs(['fileShares=src']), { fileShares: ['src'] });
});

test('values may contain "="', () => {
  assert.deepEqual(parseSetArgs(['daemonJson={"labels":["a=b"]}']), { daemonJson: { labels: ['a=b'] } });
});

test('wharf get prints key=value lines that wharf set accepts back', () => {
  const s = { ...fakeDefaults(), fileShares: ['/a', '/b'], daemonJson: { debug: true } };
  const out = formatGet(s);
  assert.equal(out, [
    'cpus=2', 'memory=4096MiB', 'swap=1024MiB', 'disk=64GiB', 'accelerator=auto', 'backend=qemu',
    'switchContext=true', 'fileShares=/a,/b', 'fileSharing=auto', 'syncedShares=', 'daemonJson={"debug":true}', 'startAtLogin=false',
    'httpProxy=', 'httpsProxy=', 'noProxy=', 'containerHttpProxy=', 'containerHttpsProxy=', 'containerNoProxy=', 'resourceSaverMinutes=5',
  ].join('\n'));
  const back = parseSetArgs(out.split('\n'));
  const { version: _v, ...rest } = s;
  assert.deepEqual(back, rest);
  assert.equal(formatGet(s, 'memory'), '4096MiB');
  assert.throws(() => formatGet(s, 'version'), /"version" is not a setting/);
});

test('proxies are taken as typed (validate.ts judges them); resourceSaverMinutes takes a number or off', () => {
  assert.deepEqual(parseSetArgs(['httpProxy=http://p:3128', 'noProxy=localhost,.corp', 'resourceSaverMinutes=off']),
    { httpProxy: 'http://p:3128', noProxy: 'localhost,.corp', resourceSaverMinutes: 0 });
  assert.deepEqual(parseSetArgs(['resourceSaverMinutes=1']), { resourceSaverMinutes: 1 });
  assert.equal(fails(['resourceSaverMinutes=soon']), 'resourceSaverMinutes: expected a whole number; got "soon".');
});
