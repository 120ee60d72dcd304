import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shellFraming } from '../../../src-main/cli/commands/shell.js';

test('a long multi-line command travels as lines the VM shell keeps whole, and decodes back to itself', () => {
  const command = `set -e\ncat <<'EOF'\n${'é'.repeat(2500)} "$HOME" \`x\`\nEOF\n`;
  const f = shellFraming(command, 'M');
  for (const l of [f.first, ...f.payload]) assert.ok(Buffer.byteLength(l) < 1024, `line of ${Buffer.byteLength(l)} bytes`);
  assert.equal(f.payload.at(-1), '.');
  assert.equal(Buffer.from(f.payload.slice(0, -1).join(''), 'base64').toString('utf8'), command);
});

test('the typed first line never contains a marker whole, even wrapped by the terminal', () => {
  const f = shellFraming('true', '__WHARF_DONE_abc__');
  for (let col = 1; col < f.first.length; col++) {
    const echoed = `${f.first.slice(0, col)}\n${f.first.slice(col)}\n`;
    assert.ok(!echoed.includes(f.ready) && !echoed.includes(f.begin) && !f.end.test(echoed), `wrapped at ${col}`);
  }
});
