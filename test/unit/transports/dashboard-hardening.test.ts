import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
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

/*
 * Security findings 2, 3 and 13 against a real dashboard and a real control
 * socket on loopback. Each request below ended the process or let a replayed
 * cookie in before the fix.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wharf-dash-hard-'));
const staticDir = path.join(dir, 'static');
fs.mkdirSync(staticDir);
fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Wharf</title>');
const c = {
  echo: {
    say: method(z.string()).returns<string>(),
    count: method(z.array(z.string()).default([])).returns<number>(),
  },
} as const;
const bus = new EventBus();
const control = new ControlSocketServer(path.join(dir, 'control.sock'), {
  dispatch: createDispatcher(c, { echo: { say: async (s) => `echo:${s}`, count: async (a) => a.length } }), bus, streams: new StreamRegistry(bus),
});
let dash: DashboardServer;
let base = '';
let port = 0;

before(async () => {
  await control.listen();
  dash = new DashboardServer({ staticDir, controlSocket: path.join(dir, 'control.sock') });
  port = (await dash.listen()).port;
  base = `http://127.0.0.1:${port}`;
});
after(async () => { await dash.close(); await control.close(); });

/** Signs in like a browser: the cookie from Set-Cookie, the page key from the redirect's fragment. */
async function signIn(): Promise<{ cookie: string; key: string }> {
  const res = await fetch(dash.loginUrl(), { redirect: 'manual' });
  assert.equal(res.status, 302);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  const location = res.headers.get('location') ?? '';
  const key = new URLSearchParams(location.split('#')[1] ?? '').get('wharf-key') ?? '';
  return { cookie, key };
}

/** Sends raw bytes and returns what came back before the server closed (or 2 s passed). */
function raw(request: string): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => s.write(request));
    let out = '';
    s.on('data', (d) => { out += d.toString(); });
    s.on('error', () => resolve(out));
    s.on('close', () => resolve(out));
    setTimeout(() => { s.destroy(); resolve(out); }, 2000);
  });
}

async function stillServing(): Promise<void> {
  const res = await fetch(`${base}/`);
  assert.equal(res.status, 401, 'the dashboard still answers after the bad request');
}

function openWs(headers: Record<string, string>, protocols: string[]): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${base.replace('http', 'ws')}/ws`, protocols, { headers: { origin: base, ...headers } });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function callOver(ws: WebSocket, msg: unknown): Promise<{ ok: boolean; result?: unknown; error?: { name: string; message: string } }> {
  return new Promise((resolve) => {
    const onMessage = (d: WebSocket.RawData) => {
      const m = JSON.parse(String(d));
      if (m.type === 'result') { ws.off('message', onMessage); resolve(m); }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify(msg));
  });
}

test('finding 2: an unparsable absolute URL gets 400, signed out, and the server keeps serving', async () => {
  const out = await raw(`GET http://[ HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
  assert.match(out, /^HTTP\/1\.1 400/);
  await stillServing();
});

test('finding 2: the same URL on a WebSocket upgrade gets 400, and the server keeps serving', async () => {
  const out = await raw(`GET http://[ HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`);
  assert.match(out, /^HTTP\/1\.1 400/);
  await stillServing();
});

test('finding 2: a malformed percent-escape gets 400 when signed in, and the server keeps serving', async () => {
  const { cookie } = await signIn();
  const res = await fetch(`${base}/%zz`, { headers: { cookie } });
  assert.equal(res.status, 400);
  assert.equal((await fetch(`${base}/`, { headers: { cookie } })).status, 200);
});

test('finding 2: a WebSocket frame over 2 MiB closes that socket (1009), and the server keeps serving', async () => {
  const { cookie, key } = await signIn();
  const ws = await openWs({ cookie }, [WS_PROTOCOL, wsKeyProtocol(key)]);
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  ws.on('error', () => undefined);
  ws.send('x'.repeat(2 * 1024 * 1024 + 10));
  assert.equal(await closed, 1009);
  await stillServing();
  const again = await openWs({ cookie }, [WS_PROTOCOL, wsKeyProtocol(key)]);
  assert.equal((await callOver(again, { type: 'call', id: 1, method: 'echo.say', args: ['still here'] })).result, 'echo:still here');
  again.close();
});

test('finding 3: the session cookie alone (as a container on another port would replay it) does not open the WebSocket', async () => {
  const { cookie, key } = await signIn();
  assert.ok(key.length >= 32, 'the redirect carries the page key in its fragment, which browsers never send to servers');
  await assert.rejects(openWs({ cookie }, []), /403/);
  await assert.rejects(openWs({ cookie }, [WS_PROTOCOL, wsKeyProtocol('x'.repeat(43))]), /403/);
  const other = await signIn();
  await assert.rejects(openWs({ cookie }, [WS_PROTOCOL, wsKeyProtocol(other.key)]), /403/, 'a key belongs to its own session');
  const ws = await openWs({ cookie }, [WS_PROTOCOL, wsKeyProtocol(key)]);
  assert.equal(ws.protocol, WS_PROTOCOL);
  ws.close();
});

test('finding 3: the page itself does not carry the key, so fetching it with a replayed cookie reveals nothing', async () => {
  const { cookie, key } = await signIn();
  const body = await (await fetch(`${base}/`, { headers: { cookie } })).text();
  assert.ok(!body.includes(key));
});

test('finding 3: revoking ends every session and open socket; old links stop working', async () => {
  const { cookie, key } = await signIn();
  const pendingLink = dash.loginUrl();
  const ws = await openWs({ cookie }, [WS_PROTOCOL, wsKeyProtocol(key)]);
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  assert.ok(dash.revokeAll() >= 1, 'it reports the sessions it ended');
  assert.equal(dash.auth.sessionCount(), 0);
  assert.equal(await closed, 4401);
  assert.equal((await fetch(`${base}/`, { headers: { cookie } })).status, 401);
  assert.equal((await fetch(pendingLink, { redirect: 'manual' })).status, 401);
  await assert.rejects(openWs({ cookie }, [WS_PROTOCOL, wsKeyProtocol(key)]), /403/);
});

test('finding 13: a call without args reaches the method as [] (not [undefined])', async () => {
  const { cookie, key } = await signIn();
  const ws = await openWs({ cookie }, [WS_PROTOCOL, wsKeyProtocol(key)]);
  const res = await callOver(ws, { type: 'call', id: 3, method: 'echo.count' });
  assert.deepEqual({ ok: res.ok, result: res.result }, { ok: true, result: 0 });
  const bad = await callOver(ws, { type: 'call', id: 4, method: 'echo.count', args: 'nope' });
  assert.equal(bad.ok, false);
  assert.equal(bad.error?.name, 'BadRequest');
  ws.close();
});

test('finding 3: `wharf dashboard --revoke` reaches the running dashboard through the run directory', async () => {
  const { RevocationWatch, requestRevocation } = await import('../../../src-main/core/transports/dashboard-revocation.js');
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wharf-revoke-'));
  assert.deepEqual(await requestRevocation(runDir), { kind: 'none-running' });
  const watch = new RevocationWatch(runDir, () => dash.revokeAll());
  await watch.start(port);
  dash.revokeAll();
  const { cookie } = await signIn();
  await signIn();
  assert.deepEqual(await requestRevocation(runDir), { kind: 'revoked', sessions: 2 });
  assert.equal((await fetch(`${base}/`, { headers: { cookie } })).status, 401);
  await watch.stop();
  assert.deepEqual(await requestRevocation(runDir), { kind: 'none-running' });
});

test('finding 4: a browser tab that stops reading is dropped by the relay; the core and the dashboard stay bounded', async () => {
  const { cookie, key } = await signIn();
  const ws = await openWs({ cookie }, [WS_PROTOCOL, wsKeyProtocol(key)]);
  ws.on('error', () => undefined);
  await callOver(ws, { type: 'call', id: 1, method: 'echo.say', args: ['hi'] });
  const socketsBefore = dash.socketCount;
  (ws as unknown as { _socket: net.Socket })._socket.pause(); // a hung tab
  const payload = 'y'.repeat(64 * 1024);
  const started = performance.now();
  let peakCore = 0;
  const emitter = setInterval(() => {
    for (let i = 0; i < 16; i++) bus.emit('invalidate', { topic: payload as never });
    peakCore = Math.max(peakCore, control.bufferedBytes());
  }, 5);
  try {
    while (dash.socketCount >= socketsBefore && performance.now() - started < 45_000) await new Promise((r) => setTimeout(r, 20));
  } finally {
    clearInterval(emitter);
  }
  process.stdout.write(`FIGURE relay-slow-reader dropped_after_ms=${Math.round(performance.now() - started)} core_buffered_peak_mib=${(peakCore / 1048576).toFixed(1)}\n`);
  assert.ok(dash.socketCount < socketsBefore, 'the hung tab was dropped');
  assert.ok(peakCore <= 17 * 1024 * 1024, 'the core side stayed within its per-client limit');
  await stillServing();
  ws.terminate();
});
