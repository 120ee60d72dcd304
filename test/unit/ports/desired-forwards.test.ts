import { test } from 'node:test';
import assert from 'node:assert/strict';
import { desiredForwards, diffForwards } from '../../../src-main/core/ports/desired-forwards.js';
import type { ContainerSummary } from '../../../src-main/core/contract/types.js';

function c(state: ContainerSummary['state'], ports: ContainerSummary['ports']): ContainerSummary {
  return { id: Math.random().toString(36), name: 'x', image: 'i', state, status: '', created: 0, ports, labels: {} };
}

test('running containers publish; 127.0.0.1 stays loopback; :: folds into 0.0.0.0', () => {
  const want = desiredForwards([
    c('running', [
      { hostIp: '0.0.0.0', hostPort: 8080, containerPort: 80, protocol: 'tcp' },
      { hostIp: '::', hostPort: 8080, containerPort: 80, protocol: 'tcp' },
      { hostIp: '127.0.0.1', hostPort: 9000, containerPort: 9000, protocol: 'tcp' },
      { hostIp: '0.0.0.0', hostPort: 5353, containerPort: 53, protocol: 'udp' },
      { hostIp: '', hostPort: 0, containerPort: 443, protocol: 'tcp' },
    ]),
    c('exited', [{ hostIp: '0.0.0.0', hostPort: 7000, containerPort: 7000, protocol: 'tcp' }]),
  ]);
  assert.deepEqual(want, [
    { protocol: 'tcp', hostIp: '0.0.0.0', hostPort: 8080, guestPort: 8080 },
    { protocol: 'tcp', hostIp: '127.0.0.1', hostPort: 9000, guestPort: 9000 },
    { protocol: 'udp', hostIp: '0.0.0.0', hostPort: 5353, guestPort: 5353 },
  ]);
});

test('diff adds the missing, removes the stale, keeps the rest', () => {
  const a = { protocol: 'tcp' as const, hostIp: '0.0.0.0', hostPort: 1, guestPort: 1 };
  const b = { protocol: 'tcp' as const, hostIp: '0.0.0.0', hostPort: 2, guestPort: 2 };
  const d = { protocol: 'udp' as const, hostIp: '0.0.0.0', hostPort: 2, guestPort: 2 };
  assert.deepEqual(diffForwards([a, b], [b, d]), { add: [d], remove: [a] });
  assert.deepEqual(diffForwards([a], [a]), { add: [], remove: [] });
  assert.deepEqual(diffForwards([], []), { add: [], remove: [] });
});

test('a forward whose guest port changed is replaced', () => {
  const old = { protocol: 'tcp' as const, hostIp: '0.0.0.0', hostPort: 80, guestPort: 80 };
  const now = { ...old, guestPort: 81 };
  assert.deepEqual(diffForwards([old], [now]), { add: [now], remove: [old] });
});
