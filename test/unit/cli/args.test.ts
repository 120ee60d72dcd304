import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCommand, CliUsageError } from '../../../src-main/cli/args.js';

test('parses start flags', () => {
  assert.deepEqual(parseCommand(['start', '--cpus', '2', '--memory', '2048', '--disk', '80']), { name: 'start', cpus: 2, memory: 2048, disk: 80 });
  assert.deepEqual(parseCommand(['start']), { name: 'start', cpus: undefined, memory: undefined, disk: undefined });
});

test('unknown flags and commands say what to do', () => {
  assert.throws(() => parseCommand(['start', '--cpu', '2']), (e: Error) => e instanceof CliUsageError && /--cpu/.test(e.message) && /wharf help/.test(e.message));
  assert.throws(() => parseCommand(['strat']), /Unknown command 'strat'/);
  assert.throws(() => parseCommand(['status', '--jsno']), CliUsageError);
});

test('numbers are checked', () => {
  assert.throws(() => parseCommand(['start', '--cpus', 'two']), /whole number/);
  assert.throws(() => parseCommand(['start', '--cpus', '-1']), /at least 1/);
  assert.throws(() => parseCommand(['start', '--memory', '1.5']), /whole number/);
  assert.throws(() => parseCommand(['dashboard', '--port', '70000']), /at most 65535/);
});

test('other commands', () => {
  assert.deepEqual(parseCommand(['status', '--json']), { name: 'status', json: true });
  assert.deepEqual(parseCommand(['logs', '-f']), { name: 'logs', follow: true, lines: 200 });
  assert.deepEqual(parseCommand(['shell', '-c', 'uname -r']), { name: 'shell', command: 'uname -r' });
  assert.deepEqual(parseCommand(['set', 'cpus=1', 'memory=1024']), { name: 'set', assignments: ['cpus=1', 'memory=1024'], hostWide: false });
  assert.deepEqual(parseCommand(['set', 'memory=4GiB', '--host-wide']), { name: 'set', assignments: ['memory=4GiB'], hostWide: true });
  assert.throws(() => parseCommand(['set']), /Nothing to set/);
  assert.deepEqual(parseCommand(['reset']), { name: 'reset', yes: false });
  assert.deepEqual(parseCommand([]), { name: 'help', topic: undefined });
});

test('dashboard --revoke stands alone', () => {
  assert.deepEqual(parseCommand(['dashboard', '--revoke']), { name: 'dashboard', open: false, revoke: true });
  assert.throws(() => parseCommand(['dashboard', '--revoke', '--port', '8080']), /--revoke takes no other options/);
});
