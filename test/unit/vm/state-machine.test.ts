import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VmStateMachine, InvalidTransitionError } from '../../../src-main/core/vm/state-machine.js';

test('walks the happy path stopped → starting → running → stopping → stopped', () => {
  const m = new VmStateMachine();
  const seen: string[] = [];
  m.onChange((s) => seen.push(s.state));
  for (const s of ['starting', 'running', 'stopping', 'stopped'] as const) m.transition(s);
  assert.deepEqual(seen, ['starting', 'running', 'stopping', 'stopped']);
});

test('an error carries its reason and can be started again', () => {
  const m = new VmStateMachine();
  m.transition('starting');
  assert.deepEqual(m.transition('error', 'qemu missing'), { state: 'error', reason: 'qemu missing' });
  m.transition('starting');
  assert.equal(m.state.state, 'starting');
});

test('refuses transitions outside the graph', () => {
  const m = new VmStateMachine();
  assert.throws(() => m.transition('running'), InvalidTransitionError);
  assert.throws(() => m.transition('stopping'), InvalidTransitionError);
  m.transition('starting');
  assert.throws(() => m.transition('error'), /needs a reason/);
});

test('repeating the same state is a no-op, not an error', () => {
  const m = new VmStateMachine();
  m.transition('starting');
  m.transition('starting');
  assert.equal(m.state.state, 'starting');
});
