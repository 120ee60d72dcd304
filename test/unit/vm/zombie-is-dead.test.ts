import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { isAlive, isZombie } from '../../../src-main/core/vm/process-util.js';

/**
 * A QEMU killed after its core died belongs to init, which may reap it a second late. Until
 * then kill(pid, 0) succeeds on the zombie, and the fault suite measured the error state at
 * 2,104 ms against the 2 s promise. Here a real zombie: a short child whose parent has exec'd
 * into a process that never reaps it.
 */
test('isAlive says a killed, unreaped process (a zombie) is dead', { skip: process.platform !== 'linux' }, async () => {
  const parent = spawn('sh', ['-c', 'sleep 30 & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    const pid = await new Promise<number>((resolve) => parent.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));
    assert.equal(isAlive(pid), true, 'a running child is alive');
    process.kill(pid, 'SIGKILL');
    const deadline = performance.now() + 2000;
    while (isAlive(pid) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(isAlive(pid), false, 'the killed child still counts as alive');
    assert.equal(isAlive(parent.pid!), true, 'its parent, which never reaped it, runs on');
    process.kill(pid, 0); // still there: the verdict above came from its state, not from its absence
  } finally {
    parent.kill('SIGKILL');
  }
});

test('isZombie reads the state after the last parenthesis, whatever the command name holds', () => {
  assert.equal(isZombie('123 (qemu-system-x86) Z 1 123 123 0 -1'), true);
  assert.equal(isZombie('123 (a) b (c) S 1 123'), false);
  assert.equal(isZombie('123 (a) b (c) Z 1 123'), true);
  assert.equal(isZombie('123 (x) X 1'), true);
  assert.equal(isZombie('123 (x) R 1'), false);
  assert.equal(isZombie(undefined), false);
});
