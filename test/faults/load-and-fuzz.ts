import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import WebSocket from 'ws';
import { corePid, ensureRendererBuilt, fdsSettle, figure, MiB, now, proxyDescriptors, proxySettles, rssBytes, type Suite } from './support.js';
import { wharfBin } from '../support/wharf-env.js';
import { Fuzzer } from './fuzz.js';
import { DASHBOARD_PAGE_KEY_PARAM, DASHBOARD_WS_PROTOCOL } from '../../src-main/core/contract/wire.js';
import { wsKeyProtocol } from '../../src-main/core/transports/dashboard-auth.js';

/**
 * Load through the real docker socket, and bounded fuzzing of the control
 * socket and the dashboard, all on loopback, on the suite's one VM
 * (faults.test.ts boots it). They run first: they need a healthy engine and
 * leave it as they found it.
 */
export function loadAndFuzz(suite: Suite): void {
  const { env } = suite;
  let core = 0;
  const seed = Number(process.env.WHARF_FUZZ_SEED ?? Date.now() % 1_000_000);

  before(() => {
    core = corePid(env)!;
    assert.ok(core, 'the headless core runs');
    console.log(`# fuzz seed ${seed} (replay with WHARF_FUZZ_SEED=${seed})`);
  });

  test('50 concurrent docker run --rm through the socket all succeed, and the proxy\'s descriptors return to baseline', async () => {
    await fdsSettle(core, 0, 2000);
    const before = proxyDescriptors(core, env);
    const rssBefore = rssBytes(core);
    const t0 = now();
    const runs = await Promise.all(Array.from({ length: 50 }, (_, i) =>
      env.docker(['run', '--rm', suite.image, 'echo', `run-${i}`], { viaSocket: true, timeoutMs: 1_800_000 })));
    const ms = now() - t0;
    const failed = runs.map((r, i) => ({ r, i })).filter(({ r, i }) => r.code !== 0 || r.stdout.trim() !== `run-${i}`);
    assert.deepEqual(failed.map(({ i, r }) => `${i}: ${r.code} ${r.stderr.trim()}`), [], 'every run succeeds with its own output');
    // The core's total also holds its own engine client's keep-alive pool, which a
    // burst of container events grows and which then stays (3 descriptors per
    // connection: both ends of core-docker.sock and the engine TCP): the proxy's
    // share is what must come back.
    const { after, settled } = await proxySettles(core, env, before);
    assert.ok(settled, `proxy connections before ${JSON.stringify(before)}, after ${JSON.stringify(after)}`);
    const left = await env.docker(['ps', '-aq'], { viaSocket: true });
    figure('load-50-runs', {
      runs: 50, ok: 50 - failed.length, total_ms: ms, slowest_run_s: Math.max(...runs.map((r) => r.seconds)),
      fds_before: before.total, fds_after: after.total, proxy_clients_before: before.clients, proxy_clients_after: after.clients,
      engine_conns_before: before.upstream, engine_conns_after: after.upstream, own_client_conns_before: before.internal, own_client_conns_after: after.internal,
      rss_before_mib: rssBefore / MiB, rss_after_mib: rssBytes(core) / MiB, containers_left: left.stdout.trim().split('\n').filter(Boolean).length,
    });
  });

  test('1,000 docker-socket connections aborted mid-stream: no descriptor leak, memory flat, the proxy still serves', async () => {
    const fdsBefore = await fdsSettle(core, 0, 2000);
    const rssBefore = rssBytes(core);
    const kinds = ['connect-only', 'half-header', 'events-stream', 'half-body', 'attach-hijack'] as const;
    const counts: Record<string, number> = {};
    const abortOne = (kind: typeof kinds[number]) => new Promise<void>((resolve) => {
      counts[kind] = (counts[kind] ?? 0) + 1;
      const s = net.createConnection(env.socket);
      const done = () => { s.destroy(); resolve(); };
      const timer = setTimeout(done, 5000);
      s.on('error', () => undefined);
      s.on('close', () => { clearTimeout(timer); resolve(); });
      s.once('connect', () => {
        if (kind === 'connect-only') return done();
        if (kind === 'half-header') { s.write('GET /v1.41/containers/json HTTP/1.1\r\nHost: docker\r\nX-Half'); setTimeout(done, 5); return; }
        if (kind === 'half-body') {
          s.write('POST /v1.41/containers/create HTTP/1.1\r\nHost: docker\r\nContent-Type: application/json\r\nContent-Length: 4000\r\n\r\n{"Image":"');
          setTimeout(done, 5);
          return;
        }
        if (kind === 'attach-hijack') {
          s.write('POST /v1.41/containers/nonexistent/attach?stream=1&stdout=1 HTTP/1.1\r\nHost: docker\r\nUpgrade: tcp\r\nConnection: Upgrade\r\n\r\n');
          setTimeout(done, 5);
          return;
        }
        // A long-lived stream, cut as soon as its headers arrive.
        s.write('GET /v1.41/events HTTP/1.1\r\nHost: docker\r\n\r\n');
        s.once('data', done);
      });
    });
    const t0 = now();
    for (let batch = 0; batch < 20; batch++) {
      await Promise.all(Array.from({ length: 50 }, (_, i) => abortOne(kinds[(batch * 50 + i) % kinds.length]!)));
    }
    const ms = now() - t0;
    const fdsAfter = await fdsSettle(core, fdsBefore + 2);
    const rssAfter = rssBytes(core);
    assert.ok(fdsAfter <= fdsBefore + 2, `core descriptors ${fdsBefore} -> ${fdsAfter}`);
    assert.ok(rssAfter - rssBefore < 40 * MiB, `core RSS ${rssBefore / MiB} -> ${rssAfter / MiB} MiB`);
    const v = await env.docker(['version', '--format', '{{.Server.Version}}'], { viaSocket: true });
    assert.equal(v.code, 0, v.stderr);
    figure('aborted-connections', { connections: 1000, ms, fds_before: fdsBefore, fds_after: fdsAfter, rss_before_mib: rssBefore / MiB, rss_after_mib: rssAfter / MiB, ...counts });
  });

  test('bounded fuzz of the control socket (random and mutated messages): the core answers every message and stays up', async () => {
    const fz = new Fuzzer(seed);
    const fdsBefore = await fdsSettle(core, 0, 2000);
    const rssBefore = rssBytes(core);
    const maxMessages = 3000;
    const budgetMs = 90_000;
    const controlSock = path.join(env.home, 'run', 'control.sock');
    const kinds: Record<string, number> = {};
    let sent = 0;
    let answered = 0;
    const t0 = now();
    // Four clients at once, each sending a batch and waiting for every answer.
    const client = async (n: number) => {
      const s = net.createConnection(controlSock);
      await new Promise<void>((resolve, reject) => { s.once('connect', () => resolve()); s.once('error', reject); });
      let results = 0;
      let buf = '';
      s.setEncoding('utf8');
      s.on('data', (d: string) => {
        buf += d;
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          if ((JSON.parse(line) as { type: string }).type === 'result') results++;
        }
      });
      let mine = 0;
      while (sent < maxMessages && now() - t0 < budgetMs) {
        const batch = Array.from({ length: 25 }, () => fz.message(n * 1_000_000 + mine++));
        for (const m of batch) kinds[m.kind] = (kinds[m.kind] ?? 0) + 1;
        sent += batch.length;
        const want = results + batch.length;
        s.write(batch.map((m) => m.text).join('\n') + '\n');
        const deadline = now() + 30_000;
        while (results < want && now() < deadline && !s.destroyed) await new Promise((r) => setTimeout(r, 10));
        assert.equal(results, want, `client ${n}: ${want - results} of a batch got no answer (seed ${seed})`);
      }
      answered += results;
      s.destroy();
    };
    await Promise.all([0, 1, 2, 3].map(client));
    const ms = now() - t0;
    assert.equal(corePid(env), core, 'the same core is still running');
    const st = await env.wharf(['status', '--json']);
    assert.equal(JSON.parse(st.stdout).vm.state, 'running');
    const fdsAfter = await fdsSettle(core, fdsBefore + 2);
    assert.ok(fdsAfter <= fdsBefore + 2, `core descriptors ${fdsBefore} -> ${fdsAfter}`);
    figure('fuzz-control-socket', { seed, cases: sent, answered, ms, fds_before: fdsBefore, fds_after: fdsAfter, rss_before_mib: rssBefore / MiB, rss_after_mib: rssBytes(core) / MiB, ...kinds });
  });

  describe('the dashboard', () => {
    let dash: ChildProcess | undefined;
    let port = 0;
    let cookie = '';
    // The page key the sign-in redirect hands the page in its fragment; the WebSocket offers it as a subprotocol.
    let pageKey = '';

    before(async () => {
      ensureRendererBuilt();
      const url = await new Promise<string>((resolve, reject) => {
        dash = spawn(process.execPath, [wharfBin, 'dashboard', '--print-url'], { env: env.env, stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        const timer = setTimeout(() => reject(new Error(`no dashboard URL: ${out}`)), 60_000);
        dash.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out);
          if (m) { clearTimeout(timer); resolve(m[1]!); }
        });
        dash.once('exit', (code) => reject(new Error(`wharf dashboard exited (${code}): ${out}`)));
      });
      port = Number(new URL(url).port);
      const res = await fetch(url, { redirect: 'manual' });
      cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
      assert.match(cookie, /=/, 'the one-time link signs in');
      const location = res.headers.get('location') ?? '';
      pageKey = new URLSearchParams(location.split('#')[1] ?? '').get(DASHBOARD_PAGE_KEY_PARAM) ?? '';
      assert.ok(pageKey, `the redirect carries the page key: ${location}`);
    });

    after(() => { dash?.kill('SIGTERM'); });

    const alive = async () => {
      const r = await fetch(`http://127.0.0.1:${port}/`, { headers: { cookie }, signal: AbortSignal.timeout(10_000) });
      return r.status;
    };

    test('bounded fuzz of the dashboard over HTTP (bad URLs, hosts, methods, upgrades, garbage): every request is answered and it keeps serving', async () => {
      const fz = new Fuzzer(seed + 1);
      const paths = ['/', '/%zz', '/%', '/[', '/..%2f..%2fetc%2fpasswd', '/ws', '/index.html', '/?token=', '/?token=%zz', `/${'a'.repeat(9000)}`, '/\u00e9', '//x', '/assets/../../x', '/?x=%00'];
      const hosts = [`127.0.0.1:${port}`, `localhost:${port}`, 'evil.example', '', '[', `127.0.0.1:${port}\u0000`, 'LOCALHOST:' + port];
      const count = 600;
      let answered = 0;
      let closedOnly = 0;
      const kinds: Record<string, number> = {};
      const t0 = now();
      for (let i = 0; i < count; i++) {
        const kind = fz.pick(['request', 'upgrade', 'garbage', 'first-line']);
        kinds[kind] = (kinds[kind] ?? 0) + 1;
        const method = fz.pick(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'BREW', 'G\u00e9T']);
        const p = fz.next() < 0.7 ? fz.pick(paths) : `/${fz.string(60).replace(/[\s]/g, '')}`;
        const host = fz.pick(hosts);
        const lines = kind === 'first-line'
          ? [`GET http://${fz.pick(['[', '127.0.0.1', '%zz', ''])} HTTP/1.1`, `Host: ${host}`]
          : [`${method} ${p} HTTP/1.1`, ...(host ? [`Host: ${host}`] : [])];
        if (fz.next() < 0.5) lines.push(`Cookie: ${fz.next() < 0.7 ? cookie : `wharf_session=${fz.string(20)}`}`);
        if (kind === 'upgrade') lines.push('Upgrade: websocket', 'Connection: Upgrade', 'Sec-WebSocket-Version: 13', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==', `Origin: ${fz.pick([`http://127.0.0.1:${port}`, 'http://evil.example', 'null'])}`);
        const raw = kind === 'garbage'
          ? Buffer.from(Array.from({ length: 1 + fz.int(300) }, () => fz.int(256)).concat([13, 10, 13, 10]))
          : Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1');
        const got = await new Promise<'data' | 'closed' | 'hung'>((resolve) => {
          const s = net.createConnection(port, '127.0.0.1');
          let seen = false;
          const timer = setTimeout(() => { s.destroy(); resolve('hung'); }, 5000);
          s.on('error', () => undefined);
          s.on('data', () => { seen = true; clearTimeout(timer); s.destroy(); resolve('data'); });
          s.on('close', () => { clearTimeout(timer); resolve(seen ? 'data' : 'closed'); });
          s.write(raw);
        });
        assert.notEqual(got, 'hung', `request ${i} (${kind}) got no answer within 5 s (seed ${seed + 1}): ${raw.toString('latin1').slice(0, 120)}`);
        if (got === 'data') answered++; else closedOnly++;
        if (i % 50 === 49) assert.equal(await alive(), 200, `the dashboard stopped serving after request ${i} (seed ${seed + 1})`);
      }
      assert.equal(dash!.exitCode, null, 'the dashboard process is still running');
      figure('fuzz-dashboard-http', { seed: seed + 1, cases: count, answered, closed: closedOnly, ms: now() - t0, ...kinds });
    });

    test('bounded fuzz of the dashboard WebSocket relay (random, mutated and oversized frames): every message is answered and it keeps serving', async () => {
      const fz = new Fuzzer(seed + 2);
      const open = () => new Promise<WebSocket>((resolve, reject) => {
        const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, [DASHBOARD_WS_PROTOCOL, wsKeyProtocol(pageKey)], { headers: { cookie, origin: `http://127.0.0.1:${port}` } });
        ws.once('open', () => resolve(ws));
        ws.once('error', reject);
      });
      const rssBefore = rssBytes(core);
      const count = 1000;
      let results = 0;
      let oversizedClosed = 0;
      const t0 = now();
      let ws = await open();
      const onMessage = (d: WebSocket.RawData) => { if ((JSON.parse(String(d)) as { type: string }).type === 'result') results++; };
      ws.on('message', onMessage);
      for (let i = 0; i < count; i += 20) {
        if (i > 0 && i % 200 === 0) {
          // An oversized frame must close that one connection, not the server.
          const big = await open();
          big.on('error', () => undefined);
          const closed = new Promise<void>((r) => big.once('close', () => r()));
          big.send('x'.repeat(2.5 * MiB));
          await Promise.race([closed, new Promise((r) => setTimeout(r, 10_000))]);
          if (big.readyState === WebSocket.CLOSED) oversizedClosed++;
          big.terminate();
        }
        const want = results + 20;
        for (let j = 0; j < 20; j++) {
          const m = fz.message(i + j);
          if (fz.next() < 0.1) ws.send(Buffer.from(m.text), { binary: true }); else ws.send(m.text);
        }
        const deadline = now() + 30_000;
        while (results < want && now() < deadline && ws.readyState === WebSocket.OPEN) await new Promise((r) => setTimeout(r, 10));
        assert.equal(results, want, `${want - results} of a batch at ${i} got no answer (seed ${seed + 2})`);
        if (ws.readyState !== WebSocket.OPEN) { ws = await open(); ws.on('message', onMessage); }
      }
      ws.close();
      assert.equal(oversizedClosed, Math.floor((count - 1) / 200), 'each oversized frame closed its connection');
      assert.equal(await alive(), 200, 'the dashboard still serves');
      assert.equal(dash!.exitCode, null, 'the dashboard process is still running');
      assert.equal(corePid(env), core, 'the same core is still running');
      figure('fuzz-dashboard-ws', { seed: seed + 2, cases: count, answered: results, oversized_closed: oversizedClosed, ms: now() - t0, core_rss_before_mib: rssBefore / MiB, core_rss_after_mib: rssBytes(core) / MiB });
    });
  });
}
