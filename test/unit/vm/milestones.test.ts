import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConsoleLine, progressFor, BOOT_MILESTONES } from '../../../src-main/core/vm/milestones.js';
import { parseUsernet, hostfwdRule } from '../../../src-main/core/vm/qemu/port-forwarder.js';

test('recognises milestones, errors and daemon.json rollbacks', () => {
  assert.deepEqual(parseConsoleLine('WHARF-MILESTONE dockerd'), { kind: 'milestone', name: 'dockerd' });
  assert.equal(parseConsoleLine('WHARF-MILESTONE bogus'), undefined);
  assert.deepEqual(parseConsoleLine('WHARF-ERROR data-disk bad superblock'), { kind: 'error', what: 'data-disk', reason: 'bad superblock' });
  assert.deepEqual(parseConsoleLine('WHARF-DAEMONJSON-REJECTED unknown key foo'), { kind: 'daemon-json-rejected', reason: 'unknown key foo' });
  assert.deepEqual(parseConsoleLine('WHARF-DISK full 2048 8388608'), { kind: 'disk', full: true, availBytes: 2048 * 1024, sizeBytes: 8388608 * 1024 });
  assert.deepEqual(parseConsoleLine('WHARF-DISK ok 4194304 8388608'), { kind: 'disk', full: false, availBytes: 4194304 * 1024, sizeBytes: 8388608 * 1024 });
  assert.deepEqual(parseConsoleLine('[    0.000000] Linux version 6.1'), { kind: 'kernel' });
  assert.equal(parseConsoleLine('hello'), undefined);
});

test('progress grows with the milestones and ends at 1', () => {
  const last = BOOT_MILESTONES[BOOT_MILESTONES.length - 1]!;
  assert.equal(progressFor(last, 0, 5000).fraction, 1);
  assert.equal(progressFor(last, 0, 5000).elapsedSeconds, 5);
  assert.ok(progressFor('init', 0).fraction < progressFor('dockerd', 0).fraction);
});

test('parses QEMU 7 `info usernet` host forwards', () => {
  const text = [
    'VLAN -1 (net0):',
    '  Protocol[State]    FD  Source Address  Port   Dest. Address  Port RecvQ SendQ',
    '  TCP[HOST_FORWARD]  13       127.0.0.1 41235      10.0.2.15  2376     0     0',
    '  UDP[HOST_FORWARD]  15               * 5353       10.0.2.15  5353     0     0',
    '  TCP[ESTABLISHED]   20       10.0.2.15 3333        10.0.2.2    80     0     0',
  ].join('\n');
  assert.deepEqual(parseUsernet(text), [
    { protocol: 'tcp', hostIp: '127.0.0.1', hostPort: 41235, guestPort: 2376 },
    { protocol: 'udp', hostIp: '0.0.0.0', hostPort: 5353, guestPort: 5353 },
  ]);
  assert.equal(hostfwdRule({ protocol: 'udp', hostIp: '127.0.0.1', hostPort: 53, guestPort: 53 }), 'udp:127.0.0.1:53-10.0.2.15:53');
});
