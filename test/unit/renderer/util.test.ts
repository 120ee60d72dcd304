import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRoute, routeToHash } from '../../../src-renderer/stores/router.js';
import { formatBytes, formatMiB, formatPercent, formatRelative, parseEnv, parsePorts, parseVolumes, shortId } from '../../../src-renderer/util/format.js';
import { LineBuffer } from '../../../src-renderer/util/line-buffer.js';
import { keyToSequence, stripAnsi, TermScreen } from '../../../src-renderer/util/term-screen.js';

describe('terminal screen', () => {
  it('prints, wraps lines and handles CR/LF and backspace', () => {
    const s = new TermScreen(10, 5);
    s.write('/ # ls\r\nbin  etc\r\n/ # ');
    assert.deepEqual(s.lines, ['/ # ls', 'bin  etc', '/ # ']);
    assert.equal(s.col, 4);
    s.write('abc\b\b\x1b[K');
    assert.equal(s.lines[2], '/ # a');
    s.write('0123456789xyz');
    assert.equal(s.lines[2], '/ # a01234');
    assert.equal(s.lines[3], '56789xyz');
  });

  it('drops colours and titles, even when split across writes', () => {
    const s = new TermScreen();
    s.write('\x1b[1;3');
    s.write('2mgreen\x1b[0m \x1b]0;title\x07ok');
    assert.equal(s.text(), 'green ok');
  });

  it('answers a cursor position request', () => {
    const s = new TermScreen(80, 24);
    s.write('ab');
    assert.equal(s.write('\x1b[6n'), '\x1b[1;3R');
  });

  it('clears the screen and moves the cursor home', () => {
    const s = new TermScreen(20, 3);
    s.write('one\r\ntwo\r\nthree\r\nfour');
    s.write('\x1b[H\x1b[J');
    assert.equal(s.row, s.top);
    assert.deepEqual(s.lines.slice(s.top), ['', '', '']);
    assert.equal(s.lines[0], 'one', 'scrollback kept');
    s.write('\x1b[2J');
    assert.deepEqual(s.lines, ['']);
  });

  it('keeps the scrollback bounded', () => {
    const s = new TermScreen(80, 24, 100);
    for (let i = 0; i < 500; i++) s.write(`line ${i}\r\n`);
    assert.equal(s.lines.length, 100);
    assert.equal(s.lines.at(-2), 'line 499');
  });

  it('maps keys to terminal bytes', () => {
    assert.equal(keyToSequence({ key: 'Enter' }), '\r');
    assert.equal(keyToSequence({ key: 'Backspace' }), '\x7f');
    assert.equal(keyToSequence({ key: 'c', ctrlKey: true }), '\x03');
    assert.equal(keyToSequence({ key: 'ArrowUp' }), '\x1b[A');
    assert.equal(keyToSequence({ key: 'x' }), 'x');
    assert.equal(keyToSequence({ key: 'Shift' }), undefined);
    assert.equal(keyToSequence({ key: 'v', metaKey: true }), undefined);
  });

  it('strips ANSI from log text', () => {
    assert.equal(stripAnsi('\x1b[32m[info]\x1b[0m ready'), '[info] ready');
  });
});

describe('log line buffer', () => {
  it('joins lines split across chunks and caps the count', () => {
    const b = new LineBuffer(3);
    b.push('a\nb');
    b.push('c\r\nd\ne\nf');
    assert.deepEqual(b.lines, ['bc', 'd', 'e']);
    assert.deepEqual(b.all(), ['bc', 'd', 'e', 'f']);
  });
});

describe('formatting and parsing', () => {
  it('formats sizes, memory, percentages and ages', () => {
    assert.equal(formatBytes(4_260_000), '4.26 MB');
    assert.equal(formatBytes(-1), '—');
    assert.equal(formatMiB(812 * 1024 * 1024), '812 MiB');
    assert.equal(formatMiB(4096 * 1024 * 1024), '4.00 GiB');
    assert.equal(formatPercent(12.345), '12.3%');
    assert.equal(formatRelative(1000, 1000_000 + 3 * 3600_000), '3 hours ago');
    assert.equal(shortId('sha256:0123456789abcdef'), '0123456789ab');
  });

  it('parses run dialog fields and reports bad entries', () => {
    assert.deepEqual(parsePorts('8080:80, 127.0.0.1:5353:53/udp').ports, [
      { hostPort: 8080, containerPort: 80, protocol: 'tcp' },
      { hostIp: '127.0.0.1', hostPort: 5353, containerPort: 53, protocol: 'udp' },
    ]);
    assert.equal(parsePorts('80').errors.length, 1);
    assert.equal(parsePorts('70000:80').errors.length, 1);
    assert.deepEqual(parseEnv('A=1\n# comment\nB=two words\n').env, ['A=1', 'B=two words']);
    assert.equal(parseEnv('NOVALUE').errors.length, 1);
    assert.deepEqual(parseVolumes('data:/data\n/host:/in:ro').volumes, [
      { source: 'data', target: '/data', readOnly: false },
      { source: '/host', target: '/in', readOnly: true },
    ]);
    assert.equal(parseVolumes('data:relative').errors.length, 1);
  });
});

describe('routes', () => {
  it('round-trips hash routes and falls back to containers', () => {
    for (const r of [{ view: 'images' }, { view: 'volumes' }, { view: 'settings' }, { view: 'containers' }, { view: 'container', id: 'abc', tab: 'terminal' }] as const) {
      assert.deepEqual(parseRoute(routeToHash(r)), r);
    }
    assert.deepEqual(parseRoute('#/nope'), { view: 'containers' });
    assert.deepEqual(parseRoute('#/containers/abc/bogus'), { view: 'container', id: 'abc', tab: 'logs' });
  });
});
