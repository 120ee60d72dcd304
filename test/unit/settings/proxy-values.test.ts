import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkNoProxy, checkProxyUrl, cliProxyConfig, engineProxyEnv, normalizeProxyValue, proxyForGuest } from '../../../src-main/core/settings/proxy-values.js';
import { validatePatch } from '../../../src-main/core/settings/validate.js';
import { planChange } from '../../../src-main/core/settings/plan.js';
import { fakeDefaults, fakeHost } from './helpers.js';

test('proxy URLs: empty is none; scheme, host and port only; each message says what to write', () => {
  assert.equal(checkProxyUrl('httpProxy', ''), undefined);
  assert.equal(checkProxyUrl('httpProxy', 'http://proxy.corp:3128'), undefined);
  assert.equal(checkProxyUrl('httpsProxy', 'http://user:pw@proxy.corp:3128/'), undefined);
  assert.equal(checkProxyUrl('httpProxy', 'socks5://127.0.0.1:1080'), undefined);
  assert.match(checkProxyUrl('httpProxy', 'proxy.corp:3128')!, /httpProxy must use http:\/\/, https:\/\/ or socks5/);
  assert.match(checkProxyUrl('httpProxy', 'proxy corp')!, /must not contain spaces/);
  assert.match(checkProxyUrl('httpProxy', 'ftp://p:21')!, /must use http:\/\//);
  assert.match(checkProxyUrl('httpProxy', 'http://p:3128/path')!, /no path or query/);
  assert.match(checkProxyUrl('httpProxy', 'nonsense')!, /is not a URL.*Example: httpProxy=http:\/\/proxy.example.com:3128/);
  assert.match(checkProxyUrl('httpProxy', 3128)!, /must be a proxy URL/);
});

test('no-proxy lists: hosts, .domains, *, IPs and CIDRs; the bad entries are named', () => {
  assert.equal(checkNoProxy('noProxy', 'localhost, .corp.example.com,10.0.0.0/8,*.internal,[::1],192.168.1.1:8080'), undefined);
  assert.equal(checkNoProxy('noProxy', ''), undefined);
  assert.match(checkNoProxy('noProxy', 'localhost,bad host,ok')!, /an entry that is not a host.*"bad host"/);
  assert.equal(normalizeProxyValue('noProxy', ' a , b,,c '), 'a,b,c');
  assert.equal(normalizeProxyValue('httpProxy', ' http://p:1 '), 'http://p:1');
});

test('a proxy on the host loopback is host.docker.internal from the VM and containers', () => {
  assert.equal(proxyForGuest('http://127.0.0.1:3128'), 'http://host.docker.internal:3128');
  assert.equal(proxyForGuest('http://localhost:3128/'), 'http://host.docker.internal:3128');
  assert.equal(proxyForGuest('http://proxy.corp:3128'), 'http://proxy.corp:3128');
  assert.deepEqual(engineProxyEnv({ http: 'http://127.0.0.1:1', https: '', noProxy: 'x' }), { HTTP_PROXY: 'http://host.docker.internal:1', NO_PROXY: 'x' });
  assert.deepEqual(engineProxyEnv({ http: '', https: '', noProxy: 'x' }), {});
  assert.deepEqual(cliProxyConfig({ http: 'http://p:1', https: 'http://p:2', noProxy: 'a' }), { httpProxy: 'http://p:1', httpsProxy: 'http://p:2', noProxy: 'a' });
  assert.equal(cliProxyConfig({ http: '', https: '', noProxy: '' }), undefined);
});

test('through validatePatch: refused with the key named, accepted values normalized; engine proxies restart the engine only', async () => {
  const current = fakeDefaults();
  const ctx = { host: fakeHost(), current };
  const bad = await validatePatch({ httpProxy: 'proxy:3128', containerNoProxy: 'a b', resourceSaverMinutes: -1 }, ctx);
  assert.equal(bad.ok, false);
  assert.deepEqual(bad.ok ? [] : bad.refused.map((r) => r.key).sort(), ['containerNoProxy', 'httpProxy', 'resourceSaverMinutes']);
  const good = await validatePatch({ httpProxy: ' http://p:3128 ', noProxy: 'a, b', resourceSaverMinutes: 0 }, ctx);
  assert.ok(good.ok);
  assert.equal(good.ok && good.next.httpProxy, 'http://p:3128');
  assert.equal(good.ok && good.next.noProxy, 'a,b');
  const engine = planChange(current, { httpProxy: 'http://p:1' });
  assert.equal(engine.restartsEngine, true);
  assert.equal(engine.restartsVm, false);
  const containers = planChange(current, { containerHttpProxy: 'http://p:1', resourceSaverMinutes: 1 });
  assert.equal(containers.restartsEngine, false);
  assert.equal(containers.restartsVm, false);
});
