import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import WebSocket from 'ws';
import { method } from '../../../src-main/core/contract/define.js';
import { createDispatcher } from '../../../src-main/core/transports/dispatcher.js';
import { ControlSocketServer } from '../../../src-main/core/transports/control-socket.js';
import { DashboardServer } from '../../../src-main/core/transports/dashboard-server.js';
import { WS_PROTOCOL, wsKeyProtocol } from '../../../src-main/core/transports/dashboard-auth.js';
import { EventBus } from '../../../src-main/core/util/event-bus.js';
import { StreamRegistry } from '../../../src-main/core/util/streams.js';

// A real control socket and a real dashboard on loopback; only the service is tiny.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wharf-dash-'));
const staticDir = path.join(dir, 'static');
fs.mkdirSync(staticDir);
fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Wharf</title>');
const c = { echo: { say: method(z.string()).returns<string>() } } as const;
const bus = new EventBus();
const control = new ControlSocketServer(path.join(dir, 'control.sock'), {
  dispatch: createDispatcher(c, { echo: { say: async (s) => `echo:${s}` } }), bus, streams: new StreamRegistry(bus),
});
const dash = new DashboardServer({ staticDir, controlSocket: path.join(dir, 'control.sock') });
let base = '';
let loginUrl = '';

test('setup', async () => {
  await control.listen();
  const { url, port } = await dash.listen();
  loginUrl = url;
  base = `http://127.0.0.1:${port}`;
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
});
after(async () => { await dash.close(); await control.close(); });

async function signIn(): Promise<string> {
  return (await signInWithKey()).cookie;
}

async function signInWithKey(): Promise<{ cookie: string; key: string }> {
  const res = await fetch(loginUrl, { redirect: 'manual' });
  assert.equal(res.status, 302);
  const cookie = res.headers.get('set-cookie') ?? '';
  assert.match(cookie, /HttpOnly; SameSite=Strict/);
  const key = new URLSearchParams((res.headers.get('location') ?? '').split('#')[1] ?? '').get('wharf-key') ?? '';
  loginUrl = dash.loginUrl();
  return { cookie: cookie.split(';')[0]!, key };
}

test('pages need the session from the one-time link; the link works once', async () => {
  assert.equal((await fetch(`${base}/`)).status, 401);
  const used = loginUrl;
  const cookie = await signIn();
  const page = await fetch(`${base}/`, { headers: { cookie } });
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'self'/);
  assert.equal((await fetch(used, { redirect: 'manual' })).status, 401, 'a used token is refused');
});

test('a wrong Host header is refused (DNS rebinding)', async () => {
  const http = await import('node:http');
  const status = await new Promise<number>((resolve) => {
    http.get({ host: '127.0.0.1', port: Number(new URL(base).port), path: '/', headers: { host: 'evil.example' } }, (res) => resolve(res.statusCode ?? 0));
  });
  assert.equal(status, 421);
});

test('the WebSocket needs the session and our Origin, and calls sent at once are answered', async () => {
  const { cookie, key } = await signInWithKey();
  const ws = (origin: string) => new WebSocket(`${base.replace('http', 'ws')}/ws`, [WS_PROTOCOL, wsKeyProtocol(key)], { headers: { cookie, origin } });
  await assert.rejects(new Promise((resolve, reject) => { const s = ws('http://evil.example'); s.on('open', resolve); s.on('error', reject); }));
  const good = ws(base);
  const reply = await new Promise<{ ok: boolean; result?: string; id: number }>((resolve, reject) => {
    good.on('open', () => good.send(JSON.stringify({ type: 'call', id: 7, method: 'echo.say', args: ['hi'] })));
    good.on('message', (d) => { const m = JSON.parse(String(d)); if (m.type === 'result') resolve(m); });
    good.on('error', reject);
  });
  assert.deepEqual(reply, { type: 'result', id: 7, ok: true, result: 'echo:hi' });
  const bad = await new Promise<{ ok: boolean; error?: { message: string } }>((resolve) => {
    good.send(JSON.stringify({ type: 'call', id: 8, method: 'echo.say', args: [42] }));
    good.on('message', (d) => { const m = JSON.parse(String(d)); if (m.id === 8) resolve(m); });
  });
  assert.equal(bad.ok, false);
  assert.match(bad.error!.message, /Invalid arguments to echo\.say/);
  good.close();
});
