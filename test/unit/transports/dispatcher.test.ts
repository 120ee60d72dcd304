import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { method } from '../../../src-main/core/contract/define.js';
import { createDispatcher } from '../../../src-main/core/transports/dispatcher.js';

const c = { math: { add: method(z.number(), z.number()).returns<number>() } } as const;
const dispatch = createDispatcher(c, { math: { add: async (a, b) => a + b } });

test('valid calls run', async () => {
  assert.deepEqual(await dispatch('math.add', [1, 2]), { type: 'result', id: 0, ok: true, result: 3 });
});

test('arguments are validated at runtime with a readable message', async () => {
  const r = await dispatch('math.add', [1, 'two']);
  assert.equal(r.ok, false);
  assert.match(!r.ok ? r.error.message : '', /Invalid arguments to math\.add: argument 1/);
});

test('unknown and prototype methods are refused', async () => {
  for (const m of ['math.sub', 'nope.add', 'math.add.x', '__proto__.toString', 'math.constructor', 42]) {
    const r = await dispatch(m as string, []);
    assert.equal(r.ok, false, String(m));
  }
});

test('non-array args are refused', async () => {
  const r = await dispatch('math.add', { a: 1 });
  assert.equal(r.ok, false);
});

test('a UserError keeps its code across the wire, and the client rethrows it with the code (finding 15)', async () => {
  const { UserError } = await import('../../../src-main/core/errors.js');
  const { createClient, RemoteError } = await import('../../../src-renderer/ipc/client.js');
  const c2 = { engine: { start: method().returns<void>() } } as const;
  const d = createDispatcher(c2, { engine: { start: async () => { throw new UserError('Start the engine first.', 'engine-stopped'); } } });
  const r = await d('engine.start', []);
  assert.deepEqual(!r.ok && r.error, { name: 'UserError', message: 'Start the engine first.', code: 'engine-stopped' });
  const invalid = await d('engine.start', [1]);
  assert.equal(!invalid.ok && invalid.error.code, 'invalid-arguments');
  const unknown = await d('engine.nope', []);
  assert.equal(!unknown.ok && unknown.error.code, 'unknown-method');
  const api = createClient({ call: async (m, a) => d(m, a), listen: () => () => {} });
  const err = await api.engine.start().catch((e: unknown) => e);
  assert.ok(err instanceof RemoteError);
  assert.equal((err as InstanceType<typeof RemoteError>).code, 'engine-stopped');
});
