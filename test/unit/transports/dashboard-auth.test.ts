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
  assert.ok(auth.sessionOk(req({ cookie: `a=b; ${SESSION_COOKIE}=${s!.session}` })));
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

test('links and sessions expire on a monotonic clock; a session stays alive while it is used (finding 3)', () => {
  let now = 0;
  const auth = new DashboardAuth({ now: () => now, tokenTtlMs: 10 * 60_000, sessionIdleMs: 60 * 60_000, sessionMaxMs: 12 * 3600_000 });
  const late = auth.mintToken();
  now = 10 * 60_000 + 1;
  assert.equal(auth.redeem(late), undefined, 'a link older than 10 minutes is refused');
  const s = auth.redeem(auth.mintToken())!;
  const cookie = req({ cookie: `${SESSION_COOKIE}=${s.session}` });
  now += 59 * 60_000;
  assert.ok(auth.sessionOk(cookie), 'used within the idle limit');
  now += 59 * 60_000;
  assert.ok(auth.sessionOk(cookie), 'each use extends it');
  now += 61 * 60_000;
  assert.ok(!auth.sessionOk(cookie), 'idle too long');
  const s2 = auth.redeem(auth.mintToken())!;
  const c2 = req({ cookie: `${SESSION_COOKIE}=${s2.session}` });
  for (let i = 0; i < 13; i++) { now += 59 * 60_000; auth.sessionOk(c2); }
  assert.ok(!auth.sessionOk(c2), 'no session outlives its absolute limit');
});
