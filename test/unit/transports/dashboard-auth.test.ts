import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { DashboardAuth, SESSION_COOKIE } from '../../../src-main/core/transports/dashboard-auth.js';

function req(headers: Record<string, string>): IncomingMessage {
  return { headers } as unknown as IncomingMessage;
}

test('a token is good exactly once and yields a session', () => {
  const auth = new DashboardAuth();
  const t = auth.mintToken();
  const s = auth.redeem(t);
  assert.ok(s);
  assert.equal(auth.redeem(t), undefined);
  assert.equal(auth.redeem('made-up'), undefined);
  assert.ok(auth.sessionOk(req({ cookie: `a=b; ${SESSION_COOKIE}=${s}` })));
  assert.ok(!auth.sessionOk(req({ cookie: `${SESSION_COOKIE}=nope` })));
});

test('Host must be our loopback origin (DNS rebinding guard)', () => {
  const auth = new DashboardAuth();
  auth.port = 4567;
  assert.ok(auth.hostOk(req({ host: '127.0.0.1:4567' })));
  assert.ok(auth.hostOk(req({ host: 'localhost:4567' })));
  assert.ok(!auth.hostOk(req({ host: 'evil.example:4567' })));
  assert.ok(!auth.hostOk(req({ host: '127.0.0.1:80' })));
});

test('Origin is required for WebSocket upgrades and must match', () => {
  const auth = new DashboardAuth();
  auth.port = 4567;
  assert.ok(auth.originOk(req({ origin: 'http://127.0.0.1:4567' }), true));
  assert.ok(!auth.originOk(req({}), true));
  assert.ok(auth.originOk(req({}), false));
  assert.ok(!auth.originOk(req({ origin: 'http://evil.example' }), true));
});
