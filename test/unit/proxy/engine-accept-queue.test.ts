import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { ensureTlsMaterial, type TlsMaterial } from '../../../src-main/core/proxy/certs.js';
import { DockerSocketProxy } from '../../../src-main/core/proxy/socket-proxy.js';
import { ConnectGate } from '../../../src-main/core/proxy/connect-gate.js';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'wharf-accept-'));

/**
 * An mTLS echo server that accepts like QEMU's user network: listen backlog 1
 * (libslirp's `listen(fd, 1)`), and a main loop that is busy for `busyMs`
 * after each accept (a loaded guest holding QEMU's main loop). It runs in a
 * child process so its busy loop does not stop the proxy under test.
 */
async function slirpLikeEngine(m: TlsMaterial, busyMs: number): Promise<{ port: number; child: ChildProcess }> {
  const script = `
    const tls = require('node:tls');
    const m = JSON.parse(process.env.TLS);
    const srv = tls.createServer({ key: m.serverKey, cert: m.serverCert, ca: m.ca, requestCert: true, rejectUnauthorized: true }, (s) => { s.on('error', () => {}); s.pipe(s); });
    srv.on('connection', () => { const end = Date.now() + ${busyMs}; while (Date.now() < end); });
    srv.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => console.log(srv.address().port));`;
  const child = spawn(process.execPath, ['-e', script], { env: { ...process.env, TLS: JSON.stringify(m) }, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
    child.once('exit', (code) => reject(new Error(`the engine stand-in exited (${code})`)));
  });
  return { port, child };
}

function echoThrough(sock: string, text: string): Promise<{ reply: string; ms: number }> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const c = net.createConnection(sock);
    let reply = '';
    c.on('error', () => undefined);
    c.on('data', (d) => { reply += d.toString(); if (reply.length >= text.length) c.end(); });
    c.on('close', () => resolve({ reply, ms: performance.now() - t0 }));
    c.write(text);
  });
}

test('a burst of 150 clients (what 50 `docker run` open) through an engine port with a backlog of 1 all get through, without SYN-retry stalls or resets', async () => {
  const m = await ensureTlsMaterial(tmp());
  const engine = await slirpLikeEngine(m, 20);
  const sock = path.join(tmp(), 'docker.sock');
  const proxy = new DockerSocketProxy(sock);
  await proxy.start({ host: '127.0.0.1', port: engine.port, tls: m });
  try {
    const t0 = performance.now();
    const results = await Promise.all(Array.from({ length: 150 }, (_, i) => echoThrough(sock, `hello ${i}`)));
    const totalMs = performance.now() - t0;
    const wrong = results.map((r, i) => ({ ...r, i })).filter((r) => r.reply !== `hello ${r.i}`);
    assert.deepEqual(wrong.map((r) => `${r.i}: ${r.reply.slice(0, 80)}`), [], 'every client got its own echo, none a 502');
    // A dropped SYN is retried after 1 s, then 3 s, 7 s, 15 s: without the gate
    // this burst took 16 s (TcpExtListenOverflows +386); through it, 150 accepts of 20 ms each, about 4.5 s.
    assert.ok(totalMs < 10_000, `the burst took ${Math.round(totalMs)} ms (slowest client ${Math.round(Math.max(...results.map((r) => r.ms)))} ms)`);
  } finally {
    await proxy.stop();
    engine.child.kill('SIGKILL');
  }
});

test('the gate lets `width` run at once, hands places on in order, and drops attempts nobody wants any more', async () => {
  const gate = new ConnectGate(2);
  const started: number[] = [];
  const finish: Array<() => void> = [];
  const job = (n: number) => () => new Promise<number>((resolve) => { started.push(n); finish[n] = () => resolve(n); });
  let hungUp = false;
  const runs = [gate.run(job(0)), gate.run(job(1)), gate.run(job(2)), gate.run(job(3), () => (hungUp ? new Error('the client hung up') : undefined)), gate.run(job(4))];
  runs[3]!.catch(() => undefined);
  await new Promise((r) => setImmediate(r));
  hungUp = true;
  assert.deepEqual(started, [0, 1], 'two at a time');
  assert.equal(gate.queued, 3);
  finish[1]!();
  await runs[1];
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(started, [0, 1, 2], 'the next in line gets the place');
  finish[2]!();
  await assert.rejects(runs[3]!, /hung up/, 'an attempt nobody wants is dropped when its turn comes');
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(started, [0, 1, 2, 4], 'and its place goes straight on');
  finish[0]!();
  finish[4]!();
  assert.deepEqual(await Promise.all([runs[0], runs[4]]), [0, 4]);
  assert.equal(gate.queued, 0);
});

test('the health ping counts bytes from dockerd in the last 2 s as an answer, and asks with /_ping otherwise', async () => {
  const m = await ensureTlsMaterial(tmp());
  // An echo server: it answers /_ping with the request line, never "HTTP/1.1 200".
  const engine = await slirpLikeEngine(m, 0);
  const sock = path.join(tmp(), 'docker.sock');
  const proxy = new DockerSocketProxy(sock);
  await proxy.start({ host: '127.0.0.1', port: engine.port, tls: m });
  try {
    // The spare connection's handshake just now counts as hearing from it: let that age.
    await new Promise((r) => setTimeout(r, 2100));
    await assert.rejects(proxy.ping(1000), /dockerd answered GET \/_ping/, 'nothing heard lately: a real /_ping');
    assert.equal((await echoThrough(sock, 'busy')).reply, 'busy');
    await proxy.ping(1000);
    await new Promise((r) => setTimeout(r, 2100));
    await assert.rejects(proxy.ping(1000), /dockerd answered/, 'two quiet seconds later it asks again');
  } finally {
    await proxy.stop();
    engine.child.kill('SIGKILL');
  }
});

test('clients queued for a connection get the 503 with the reason as soon as the engine is declared not answering', async () => {
  const m = await ensureTlsMaterial(tmp());
  // Accepts TCP and never says a word: every TLS handshake hangs (a stopped VM behind QEMU's forward).
  const held: net.Socket[] = [];
  const silent = net.createServer((s) => held.push(s));
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  const sock = path.join(tmp(), 'docker.sock');
  const proxy = new DockerSocketProxy(sock);
  await proxy.start({ host: '127.0.0.1', port: (silent.address() as net.AddressInfo).port, tls: m });
  try {
    const replies = Array.from({ length: 6 }, () => new Promise<{ reply: string; at: number }>((resolve) => {
      const c = net.createConnection(sock);
      let reply = '';
      c.on('error', () => undefined);
      c.on('data', (d) => { reply += d.toString(); });
      c.on('close', () => resolve({ reply, at: performance.now() }));
      c.write('GET /_ping HTTP/1.1\r\nHost: docker\r\n\r\n');
    }));
    await new Promise((r) => setTimeout(r, 300));
    const t0 = performance.now();
    proxy.setUnavailable('The engine is not answering (test).');
    // Two connections hold the gate's places until their 15 s handshake timeout; the rest were waiting.
    const quick = await Promise.race([Promise.all(replies.slice(2)), new Promise<'slow'>((r) => setTimeout(() => r('slow'), 3000))]);
    assert.notEqual(quick, 'slow', 'the waiting clients were answered within 3 s');
    for (const { reply, at } of quick as Array<{ reply: string; at: number }>) {
      assert.match(reply, /^HTTP\/1\.1 503 .*The engine is not answering \(test\)/s);
      assert.ok(at - t0 < 3000);
    }
  } finally {
    await proxy.stop();
    for (const s of held) s.destroy();
    silent.close();
  }
});

test('the gate refuses an attempt nobody wants before it queues, and cancelWaiting empties the queue without taking places', async () => {
  const gate = new ConnectGate(1);
  let release!: () => void;
  const first = gate.run(() => new Promise<void>((r) => { release = r; }));
  await assert.rejects(gate.run(async () => 'never', () => new Error('gone')), /gone/);
  assert.equal(gate.queued, 0, 'it never queued');
  const waiting = [gate.run(async () => 1), gate.run(async () => 2)];
  assert.equal(gate.queued, 2);
  gate.cancelWaiting(new Error('not answering'));
  for (const w of waiting) await assert.rejects(w, /not answering/);
  release();
  await first;
  assert.equal(await gate.run(async () => 'free'), 'free', 'the place came back');
});
