import assert from 'node:assert/strict';
import { test } from 'node:test';
import type Docker from 'dockerode';
import { EngineConnection } from '../../../src-main/core/engine/connection.js';
import { EventBus } from '../../../src-main/core/util/event-bus.js';

test('transitions emit connected/disconnected once each, and a connect reconciles all topics', async () => {
  let up = true;
  const docker = { ping: async () => { if (!up) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }); return 'OK'; } } as unknown as Docker;
  const bus = new EventBus();
  const inv: string[] = [];
  bus.on('invalidate', (p) => inv.push(p.topic));
  const conn = new EngineConnection(docker, bus);
  const seen: string[] = [];
  conn.on('connected', () => seen.push('up'));
  conn.on('disconnected', (r) => seen.push(`down:${r}`));

  assert.equal(conn.state, 'connecting');
  assert.equal(await conn.check(), true);
  assert.equal(await conn.check(), true);
  up = false;
  assert.equal(await conn.check(), false);
  assert.equal(await conn.check(), false);
  up = true;
  assert.equal(await conn.check(), true);
  assert.deepEqual(seen, ['up', 'down:connect ECONNREFUSED', 'up']);
  assert.deepEqual(inv, ['containers', 'images', 'volumes', 'containers', 'images', 'volumes']);
  conn.stop();
});

test('concurrent checks share one ping; a hung ping times out', async () => {
  let pings = 0;
  const docker = {
    ping: (o: { abortSignal: AbortSignal }) => new Promise((_, reject) => {
      pings++;
      o.abortSignal.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { code: 'ABORT_ERR' })));
    }),
  } as unknown as Docker;
  const conn = new EngineConnection(docker, new EventBus(), { pingTimeoutMs: 20 });
  const [a, b] = await Promise.all([conn.check(), conn.check()]);
  assert.equal(pings, 1);
  assert.equal(a, false);
  assert.equal(b, false);
  assert.equal(conn.state, 'disconnected');
  conn.stop();
});
