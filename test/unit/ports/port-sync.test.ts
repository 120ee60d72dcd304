import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PortSync } from '../../../src-main/core/ports/port-sync.js';
import { UserError } from '../../../src-main/core/errors.js';
import type { PortForwarder } from '../../../src-main/core/vm/backend.js';

const forwarder: PortForwarder = { list: async () => [], add: async () => undefined, remove: async () => undefined };

// Found by the fault suite: a container event while the engine hung scheduled a reconcile whose
// list rejected, nobody awaited it, and the uncaught rejection ended the core.
test('a scheduled reconcile that fails (engine unreachable) is logged, and the process is not ended', async () => {
  const lines: string[] = [];
  const unhandled: unknown[] = [];
  const onUnhandled = (err: unknown) => unhandled.push(err);
  process.on('unhandledRejection', onUnhandled);
  try {
    let calls = 0;
    const sync = new PortSync({
      forwarder: () => forwarder,
      reserved: async () => [],
      listContainers: async () => {
        calls += 1;
        if (calls === 1) throw new UserError('The Docker engine is not reachable.', 'engine-down');
        return [];
      },
      log: (l) => lines.push(l),
    });
    sync.schedule(1);
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(unhandled, []);
    assert.deepEqual(lines, ['[ports] The Docker engine is not reachable.']);
    // The next event tries again and works.
    sync.schedule(1);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(calls, 2);
    assert.deepEqual(lines.length, 1);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});
