import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startOrder } from '../../../src-main/core/engine/compose-service.js';
import { toNetworkSummary } from '../../../src-main/core/engine/networks-service.js';
import { parseComposeChunk, serviceColours } from '../../../src-renderer/views/compose/ComposeLogs.js';
import { joinPath, parentPath } from '../../../src-renderer/components/FileBrowser.js';
import { jobPercent, type JobEntry } from '../../../src-renderer/stores/jobs-store.js';
import { parseRoute, routeToHash } from '../../../src-renderer/stores/router.js';

const c = (service: string, depends = '') => ({ Names: [`/p-${service}-1`], Labels: { 'com.docker.compose.service': service, ...(depends ? { 'com.docker.compose.depends_on': depends } : {}) } });

test('compose start order follows depends_on; a cycle still lists every service once', () => {
  assert.deepEqual(startOrder([c('web', 'api:service_started:false'), c('api', 'db:service_healthy:true,cache:service_started:false'), c('db'), c('cache')]), ['cache', 'db', 'api', 'web']);
  assert.deepEqual(startOrder([c('a', 'b:service_started:false'), c('b', 'a:service_started:false')]).sort(), ['a', 'b']);
  assert.deepEqual(startOrder([c('solo', 'gone:service_started:false')]), ['solo']);
});

test('networks list their containers by network id', () => {
  const net = { Id: 'n1', Name: 'app_default', Driver: 'bridge', Scope: 'local', Internal: false, IPAM: { Config: [{ Subnet: '172.20.0.0/16' }] }, Created: 'now', Labels: {} };
  const containers = [
    { Id: 'c1', Names: ['/web'], NetworkSettings: { Networks: { app_default: { NetworkID: 'n1', IPAddress: '172.20.0.2' } } } },
    { Id: 'c2', Names: ['/other'], NetworkSettings: { Networks: { bridge: { NetworkID: 'n0', IPAddress: '172.17.0.2' } } } },
  ];
  const s = toNetworkSummary(net as never, containers as never);
  assert.deepEqual(s.containers, [{ name: 'web', ipv4: '172.20.0.2' }]);
  assert.deepEqual(s.subnets, ['172.20.0.0/16']);
  assert.equal(s.builtIn, false);
  assert.equal(toNetworkSummary({ ...net, Name: 'bridge' } as never, []).builtIn, true);
});

test('merged compose log lines parse across chunk boundaries; colours are stable per service', () => {
  const line = (s: string, m: string) => JSON.stringify({ s, c: `p-${s}-1`, t: '2026-01-01T00:00:00Z', m }) + '\n';
  const text = line('web', 'hello') + line('db', 'ready');
  const a = parseComposeChunk('', text.slice(0, 25));
  const b = parseComposeChunk(a.carry, text.slice(25));
  assert.deepEqual([...a.lines, ...b.lines].map((l) => `${l.s}:${l.m}`), ['web:hello', 'db:ready']);
  assert.equal(b.carry, '');
  const colours = serviceColours(['web', 'db', 'web']);
  assert.equal(colours.size, 2);
  assert.equal(serviceColours(['db', 'web']).get('web'), colours.get('web'));
  assert.notEqual(colours.get('web'), colours.get('db'));
});

test('routes and paths of the new views', () => {
  for (const hash of ['#/networks', '#/compose/shop', '#/volumes/my-data', '#/images/localhost%3A5000%2Fapp%3A1', '#/containers/abc/files']) {
    assert.equal(routeToHash(parseRoute(hash)), hash);
  }
  assert.deepEqual(parseRoute('#/images/localhost%3A5000%2Fapp%3A1'), { view: 'image', ref: 'localhost:5000/app:1' });
  assert.equal(joinPath('/', 'etc'), '/etc');
  assert.equal(joinPath('/etc', 'hosts'), '/etc/hosts');
  assert.equal(parentPath('/etc/ssl'), '/etc');
  assert.equal(parentPath('/etc'), '/');
});

test('job bars: transfers by bytes, pushes by layer bytes, builds by finished steps', () => {
  const base: JobEntry = { key: 'k', kind: 'transfer', title: 't', progress: undefined, status: 'running', error: undefined, startedAt: 0, endedAt: undefined };
  assert.equal(jobPercent(base), undefined);
  assert.equal(jobPercent({ ...base, progress: { kind: 'transfer', transfer: { what: 'export', bytes: 50, total: 200, done: false } } }), 25);
  assert.equal(jobPercent({ ...base, kind: 'push', progress: { kind: 'push', push: { ref: 'r', done: false, layers: [{ id: 'a', status: 'Pushed', total: 100 }, { id: 'b', status: 'Pushing', current: 50, total: 100 }] } } }), 75);
  assert.equal(jobPercent({ ...base, kind: 'build', progress: { kind: 'build', build: { steps: [{ digest: 'a', name: 'x', cached: false, completed: 1 }, { digest: 'b', name: 'y', cached: false }], log: [], done: false } } }), 50);
  assert.equal(jobPercent({ ...base, status: 'done' }), 100);
});
