import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyNotices, daemonJsonRefusals } from '../../../src-renderer/stores/settings-store.js';

// Finding 15: the renderer decides by the notice's code, never by its wording.
test('a daemon.json refusal is recognised by its code whatever it says, and only by its code', () => {
  const before = new Set(['old words']);
  const after = [
    { code: 'daemon-json-rejected' as const, message: 'old words' },
    { code: 'settings' as const, message: 'Your daemon.json was dropped by a migration; dockerd refused nothing' },
    { code: 'port-forward-failed' as const, message: 'port 80 is in use' },
  ];
  assert.deepEqual(daemonJsonRefusals(before, after), ['old words'], 'a repeated refusal still counts; a settings notice that mentions dockerd does not');
  assert.deepEqual(applyNotices(before, after), after.map((n) => n.message));
});
