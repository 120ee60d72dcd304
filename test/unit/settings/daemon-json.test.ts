import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkDaemonConfig, validateDaemonJsonText } from '../../../src-main/core/settings/daemon-json.js';
import { DOCKERD_KEYS, WHARF_CONTROLLED_KEYS } from '../../../src-main/core/settings/daemon-json-keys.js';
import { parseJsonText } from '../../../src-main/core/settings/json-text.js';

test('parse errors say the line and column', () => {
  const r = validateDaemonJsonText('{\n  "debug": true,\n  "log-level": "info",\n}');
  assert.equal(r.ok, false);
  assert.equal(r.errors.length, 1);
  assert.match(r.errors[0]!, /^daemon\.json is not valid JSON: expected a "key" but found '}' \(remove the trailing comma\) at line 4, column 1\.$/);
});

test('other syntax mistakes are located too', () => {
  const at = (t: string) => {
    const r = parseJsonText(t);
    assert.equal(r.ok, false);
    return r.ok ? undefined : r.error;
  };
  assert.deepEqual(at('{"a": tru}'), { message: "expected a value but found 't'", line: 1, column: 7 });
  assert.equal(at("{'a': 1}")!.column, 2);
  assert.match(at('{"a": 1} x')!.message, /after the end/);
  assert.match(at('')!.message, /empty; write \{\}/);
  assert.match(at('{"a": "x\ny"}')!.message, /line breaks/);
  assert.deepEqual(at('{"a": [1,]}'), { message: "expected a value but found ']' (remove the trailing comma)", line: 1, column: 10 });
  assert.deepEqual(at('{"a": 1\n"b": 2}'), { message: "expected ',' or '}' but found '\"'", line: 2, column: 1 });
});

test('the strict reader agrees with JSON.parse on valid input', () => {
  const text = '{"a": [1, -2.5e3, "x\\u0041\\n"], "b": {"c": null, "d": false}, "__proto__": 1}';
  const r = parseJsonText(text);
  assert.ok(r.ok);
  assert.deepEqual(r.value, JSON.parse(text));
});

test('must be an object', () => {
  assert.deepEqual(validateDaemonJsonText('[1]').errors, ['daemon.json must be a JSON object ({ … }); got a list.']);
  assert.match(validateDaemonJsonText('"x"').errors[0]!, /must be a JSON object/);
});

test('unknown keys are refused, with a suggestion when one is close', () => {
  const r = validateDaemonJsonText('{"registry-mirror": ["https://m.example"], "frobnicate": 1}');
  assert.equal(r.ok, false);
  assert.match(r.errors[0]!, /"registry-mirror" is not a dockerd option; did you mean "registry-mirrors"\?/);
  assert.match(r.errors[1]!, /"frobnicate" is not a dockerd option; see the daemon\.json keys/);
});

test('keys Wharf controls are refused with the reason', () => {
  for (const key of ['hosts', 'tls', 'tlscacert', 'tlscert', 'tlskey', 'tlsverify', 'data-root']) {
    assert.ok(key in WHARF_CONTROLLED_KEYS);
    assert.ok(DOCKERD_KEYS.includes(key));
    const errors = checkDaemonConfig({ [key]: 'x' });
    assert.equal(errors.length, 1);
    assert.match(errors[0]!, new RegExp(`^"${key}" cannot be set: Wharf `));
  }
});

test('the documented common keys are known and type-checked', () => {
  const good = {
    debug: true, 'log-level': 'warn', 'insecure-registries': ['127.0.0.1:5000'], 'registry-mirrors': ['https://mirror.example'],
    features: { 'containerd-snapshotter': true }, builder: { gc: { enabled: true } },
    'default-address-pools': [{ base: '172.30.0.0/16', size: 24 }], dns: ['1.1.1.1'], experimental: false,
    'log-driver': 'json-file', 'log-opts': { 'max-size': '10m', 'max-file': '3' }, 'max-concurrent-downloads': 3,
    'storage-driver': 'overlay2', 'live-restore': true, mtu: 1400, proxies: { 'http-proxy': 'http://p:3128' },
  };
  const r = validateDaemonJsonText(JSON.stringify(good));
  assert.deepEqual(r.errors, []);
  assert.ok(r.ok);
  assert.deepEqual(r.value, good);

  const bad = checkDaemonConfig({
    debug: 'yes', 'log-level': 'verbose', 'insecure-registries': 'a', 'log-opts': { 'max-file': 3 },
    'max-concurrent-downloads': 0, features: { buildkit: 'on' }, 'default-address-pools': [{ base: '10.0.0.0/8' }],
    'registry-mirrors': ['mirror.example'],
  });
  assert.deepEqual(bad, [
    '"debug" must be true or false; got the string "yes".',
    '"log-level" must be one of "debug", "info", "warn", "error", "fatal"; got the string "verbose".',
    '"insecure-registries" must be a list of strings, e.g. ["a", "b"]; got the string "a".',
    '"log-opts.max-file" must be a string (write "3" in quotes); got number 3.',
    '"max-concurrent-downloads" must be at least 1; got 0.',
    '"features.buildkit" must be true or false; got the string "on".',
    '"default-address-pools" must be a list like [{"base": "172.30.0.0/16", "size": 24}]; got a list.',
    '"registry-mirrors" entries must be http:// or https:// URLs; got "mirror.example".',
  ]);
});

test('duplicate keys are reported with where the second one is', () => {
  const r = validateDaemonJsonText('{"debug": true,\n "debug": false}');
  assert.equal(r.ok, false);
  assert.deepEqual(r.errors, ['"debug" appears more than once (again at line 2, column 2); keep one.']);
});

test('{} and whitespace around it are fine', () => {
  assert.deepEqual(validateDaemonJsonText('  {}\n'), { ok: true, errors: [], value: {} });
});
