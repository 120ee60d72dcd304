import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hangupCommand, markerEnv } from '../../../src-main/core/engine/exec-hangup.js';

test('hangup helper signals exactly the processes carrying the marker', () => {
  assert.equal(markerEnv('abc_-1'), 'WHARF_EXEC=abc_-1');
  const [sh, flag, script] = hangupCommand('abc_-1', 'HUP');
  assert.equal(sh, 'sh');
  assert.equal(flag, '-c');
  assert.match(script!, /grep -q 'WHARF_EXEC=abc_-1' "\$d\/environ"/);
  assert.match(script!, /kill -HUP "\$\{d#\/proc\/\}"/);
  assert.match(hangupCommand('x', 'KILL')[2]!, /kill -KILL/);
});

test('markers that could break out of the script are refused', () => {
  assert.throws(() => hangupCommand("x'; rm -rf /; '", 'HUP'));
  assert.throws(() => hangupCommand('', 'HUP'));
});
