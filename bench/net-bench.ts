/**
 * Issue 11 network figures, all in one run against one VM:
 *  - the ceiling: TCP over loopback inside a container (same emulated CPU), with
 *    tcp-blast (bench/fixtures) on both ends, as on every container end below;
 *  - host -> container and container -> host through a published port;
 *  - `docker cp` in and out through the host socket, and the same straight to
 *    the guest's TLS port (what the socket proxy itself costs);
 *  - the engine's own /archive rate: the same PUT and GET over dockerd's unix
 *    socket from a container (archive-client, bench/fixtures), with no network,
 *    no TLS and no client-side tar, so what the transport costs shows beside it;
 *  - `docker build` of a 256 MiB context through the host socket.
 * Every rate is printed with its share of the ceiling (goal >= 50%).
 * NET_BENCH_MIB (default 64) sizes the port and cp transfers; NET_BENCH_BUILD_MIB (256) the context.
 */
import fs from 'node:fs';
import crypto from 'node:crypto';
import net from 'node:net';
import tls from 'node:tls';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { WharfTestEnv } from '../test/support/wharf-env.js';
import { buildBusyboxImage } from '../test/support/test-image.js';
import { freeLoopbackPort } from '../src-main/core/util/free-port.js';
import { cipherList } from '../src-main/core/proxy/cipher-order.js';

const MIB = Number(process.env.NET_BENCH_MIB ?? 64);
const BUILD_MIB = Number(process.env.NET_BENCH_BUILD_MIB ?? 256);
const CEILING_MIB = Number(process.env.NET_BENCH_CEILING_MIB ?? 256);

/** The test image plus tcp-blast and archive-client (bench/fixtures), compiled static for the guest's arch (the host's). */
async function blastImage(env: WharfTestEnv, base: string, scratch: string): Promise<string> {
  const dir = path.join(scratch, 'blast-image');
  fs.mkdirSync(dir);
  for (const tool of ['tcp-blast', 'archive-client']) {
    execFileSync('gcc', ['-static', '-O2', '-o', path.join(dir, tool), path.join(import.meta.dirname, 'fixtures', `${tool}.c`)]);
  }
  fs.writeFileSync(path.join(dir, 'Dockerfile'), `FROM ${base}\nCOPY tcp-blast archive-client /bin/\n`);
  must(await env.docker(['build', '-q', '-t', 'wharf-bench/blast:1', dir], { timeoutMs: 300_000 }), 'bench tools image');
  return 'wharf-bench/blast:1';
}

function must(r: { code: number | null; stderr: string; stdout: string }, what: string): string {
  if (r.code !== 0) throw new Error(`${what} failed: ${r.stderr.slice(-500)}`);
  return r.stdout;
}

/** slirp accepts a host connection before it reaches the guest; a refused guest side closes it at once. */
async function waitListening(port: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      let settled = false;
      const done = (v: boolean) => { if (!settled) { settled = true; s.destroy(); resolve(v); } };
      s.on('data', () => done(true));
      s.on('close', () => done(false));
      s.on('error', () => done(false));
      s.on('connect', () => setTimeout(() => done(true), 700));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`port ${port} never reached the container`);
}

/** Sends `bytes` to a container that discards them; the time ends when the container side closes. */
function pushThrough(port: number, bytes: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const chunk = Buffer.alloc(1 << 20, 0x61);
    const s = net.connect(port, '127.0.0.1');
    const t0 = process.hrtime.bigint();
    let sent = 0;
    const pump = () => {
      while (sent < bytes) {
        sent += chunk.length;
        if (!s.write(chunk)) { s.once('drain', pump); return; }
      }
      s.end();
    };
    s.on('connect', pump);
    s.on('data', () => undefined);
    s.on('error', reject);
    s.on('close', () => resolve(Number(process.hrtime.bigint() - t0) / 1e9));
  });
}

/** Reads `bytes` from a container that streams zeros. */
function pullThrough(port: number, bytes: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    const t0 = process.hrtime.bigint();
    let got = 0;
    s.on('data', (d: Buffer) => {
      got += d.length;
      if (got >= bytes) { s.destroy(); resolve(Number(process.hrtime.bigint() - t0) / 1e9); }
    });
    s.on('error', reject);
    s.on('close', () => { if (got < bytes) reject(new Error(`stream ended after ${got} bytes`)); });
  });
}

/**
 * GET /containers/<id>/archive over mutual TLS straight from Node, with a chosen
 * TLS 1.3 cipher: what the socket proxy's upstream leg costs per cipher.
 */
function archiveOverTls(port: number, certs: string, container: string, file: string, cipher: string): Promise<{ seconds: number; bytes: number; cipher: string }> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const s = tls.connect({
      host: '127.0.0.1', port, servername: 'wharf-vm', ciphers: cipher,
      ca: fs.readFileSync(path.join(certs, 'ca.pem')), cert: fs.readFileSync(path.join(certs, 'cert.pem')), key: fs.readFileSync(path.join(certs, 'key.pem')),
    });
    let bytes = 0;
    let negotiated = cipher;
    s.on('secureConnect', () => {
      negotiated = s.getCipher().standardName;
      s.write(`GET /containers/${container}/archive?path=${encodeURIComponent(file)} HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n`);
    });
    s.on('data', (d: Buffer) => { bytes += d.length; });
    s.on('error', reject);
    s.on('close', () => resolve({ seconds: Number(process.hrtime.bigint() - t0) / 1e9, bytes, cipher: negotiated }));
  });
}

/** Receives from a container that connects out to the host (QEMU's NAT to 10.0.2.2). */
async function sinkOnHost(): Promise<{ port: number; done: Promise<{ seconds: number; bytes: number }>; close: () => void }> {
  let resolveDone!: (v: { seconds: number; bytes: number }) => void;
  const done = new Promise<{ seconds: number; bytes: number }>((r) => { resolveDone = r; });
  const server = net.createServer((c) => {
    const t0 = process.hrtime.bigint();
    let bytes = 0;
    c.on('data', (d: Buffer) => { bytes += d.length; });
    c.on('end', () => { c.end(); resolveDone({ seconds: Number(process.hrtime.bigint() - t0) / 1e9, bytes }); });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as net.AddressInfo).port, done, close: () => server.close() };
}

async function timed<T>(fn: () => Promise<T>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

async function main(): Promise<void> {
  const env = new WharfTestEnv('bench-net');
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'wharf-net-bench-'));
  const rows: Array<[string, number, number]> = [];
  try {
    const set = await env.wharf(['set', 'memory=2048']);
    if (set.code !== 0) throw new Error(set.stderr);
    must(await env.wharf(['start'], { timeoutMs: 900_000 }), 'wharf start');

    const image = await blastImage(env, await buildBusyboxImage(env), scratch);

    // The ceiling: loopback TCP inside one container, tcp-blast on both ends (256 KiB reads and writes).
    const ceilingOut = must(await env.docker(['run', '--rm', image, 'sh', '-c',
      `tcp-blast recv 6000 > /received & sleep 1; tcp-blast send 127.0.0.1 6000 ${CEILING_MIB} > /sent; wait; cat /received /sent`], { timeoutMs: 600_000 }), 'loopback ceiling');
    const [received, sent] = ceilingOut.trim().split('\n').map((l) => l.trim().split(' ').map(Number));
    if (received?.[0] !== CEILING_MIB << 20) throw new Error(`loopback ceiling: the listener received ${received?.[0]} bytes, not ${CEILING_MIB << 20}`);
    const ceiling = CEILING_MIB / Math.max(received[1]!, sent?.[1] ?? 0);

    // Published ports: a sink and a source, restarted after each connection.
    const sinkPort = await freeLoopbackPort();
    const sourcePort = await freeLoopbackPort();
    must(await env.docker(['run', '-d', '--name', 'bench-sink', '-p', `127.0.0.1:${sinkPort}:5000`, image, 'sh', '-c', 'while true; do tcp-blast recv 5000; done']), 'sink');
    must(await env.docker(['run', '-d', '--name', 'bench-source', '-p', `127.0.0.1:${sourcePort}:5001`, image, 'sh', '-c',
      `while true; do tcp-blast serve 5001 ${MIB + 1}; done`]), 'source');
    await waitListening(sinkPort);
    await waitListening(sourcePort);
    await new Promise((r) => setTimeout(r, 1000));
    rows.push(['host -> container, published port', MIB, await pushThrough(sinkPort, MIB << 20)]);
    await new Promise((r) => setTimeout(r, 1000));
    rows.push(['container -> host, published port', MIB, await pullThrough(sourcePort, MIB << 20)]);
    // -p 127.0.0.1:H:C goes through dockerd's userland proxy in the guest; -p H:C is DNATed by the kernel.
    const natPort = await freeLoopbackPort();
    must(await env.docker(['run', '-d', '--name', 'bench-sink-nat', '-p', `${natPort}:5000`, image, 'sh', '-c', 'while true; do tcp-blast recv 5000; done']), 'nat sink');
    await waitListening(natPort);
    await new Promise((r) => setTimeout(r, 1000));
    rows.push(['host -> container, -p H:C (kernel DNAT)', MIB, await pushThrough(natPort, MIB << 20)]);
    const hostSink = await sinkOnHost();
    const outbound = await env.docker(['run', '--rm', '--add-host', 'host.docker.internal:host-gateway', image, 'sh', '-c',
      `tcp-blast send "$(awk '/host.docker.internal/ { print $1; exit }' /etc/hosts)" ${hostSink.port} ${MIB}`], { timeoutMs: 600_000 });
    must(outbound, 'outbound');
    const out = await hostSink.done;
    hostSink.close();
    rows.push(['container -> host, outbound to host.docker.internal', out.bytes / 1048576, out.seconds]);

    // docker cp through the host socket (the proxy) and straight to the guest's TLS port. The
    // busybox image is FROM scratch: it has no /tmp, so the blob goes to /.
    const blob = path.join(scratch, 'blob');
    // Random bytes: dockerd gzips /archive for a client that accepts it (the docker CLI over TCP
    // does, over a unix socket it does not), and zeros made "direct TLS" a compression benchmark.
    fs.writeFileSync(blob, crypto.randomBytes(MIB << 20));
    must(await env.docker(['run', '-d', '--name', 'bench-cp', image, 'sleep', '3600']), 'cp target');
    const state = JSON.parse(fs.readFileSync(path.join(env.home, 'run', 'vm-state.json'), 'utf8')) as { enginePort: number; accelerator?: string };
    const certs = path.join(env.home, 'certs');
    const direct = ['--tlsverify', '--tlscacert', `${certs}/ca.pem`, '--tlscert', `${certs}/cert.pem`, '--tlskey', `${certs}/key.pem`, '-H', `tcp://127.0.0.1:${state.enginePort}`];
    const viaSocket = ['-H', `unix://${env.socket}`];
    for (const [label, target] of [['host socket', viaSocket], ['direct TLS', direct]] as const) {
      rows.push([`docker cp in (${label})`, MIB, await timed(async () => must(await env.run('docker', [...target, 'cp', blob, 'bench-cp:/blob']), 'cp in'))]);
      const out = path.join(scratch, `out-${label.replace(' ', '-')}`);
      rows.push([`docker cp out (${label})`, MIB, await timed(async () => must(await env.run('docker', [...target, 'cp', 'bench-cp:/blob', out]), 'cp out'))]);
    }

    // The engine's own rate for the same /archive calls: a client in a container on the guest's
    // CPU, over dockerd's unix socket (a guest path: bind paths outside the shares are untouched).
    must(await env.docker(['run', '-d', '--name', 'bench-engine', '-v', '/var/run/docker.sock:/var/run/docker.sock', image, 'sleep', '3600']), 'engine client');
    must(await env.docker(['exec', 'bench-engine', 'sh', '-c', `dd if=/dev/urandom of=/blob bs=1048576 count=${MIB} 2>/dev/null && cd / && tar -cf /blob.tar blob`], { timeoutMs: 600_000 }), 'engine client blob');
    for (const [label, args] of [['in (PUT)', ['put', '/var/run/docker.sock', 'bench-cp', '/', '/blob.tar']], ['out (GET)', ['get', '/var/run/docker.sock', 'bench-cp', '/blob']]] as const) {
      const [bytes, seconds] = must(await env.docker(['exec', 'bench-engine', 'archive-client', ...args], { timeoutMs: 600_000 }), `engine ${label}`).trim().split(' ').map(Number);
      if (!(bytes! >= MIB << 20) || !Number.isFinite(seconds)) throw new Error(`engine ${label}: moved ${bytes} bytes`);
      rows.push([`docker cp ${label}, in the guest over dockerd's unix socket (the engine's own rate)`, MIB, seconds!]);
    }

    // The proxy's upstream leg from Node, per TLS 1.3 cipher (AES-GCM is what both ends pick by default).
    // The last entry is the proxy's own list for this guest: the suite dockerd picks from it is named.
    const proxyOrder = cipherList(state.accelerator === 'tcg' ? 'chacha20' : 'default') ?? tls.DEFAULT_CIPHERS;
    for (const cipher of ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256', proxyOrder]) {
      const r = await archiveOverTls(state.enginePort, certs, 'bench-cp', '/blob', cipher);
      if (r.bytes < MIB << 20) throw new Error(`archive over TLS (${r.cipher}) returned ${r.bytes} bytes`);
      rows.push([`docker cp out, Node TLS ${r.cipher}${cipher === proxyOrder ? " (the proxy's order)" : ''}`, MIB, r.seconds]);
    }

    // docker build: the legacy builder (DOCKER_BUILDKIT=0 in the test env) sends the whole context.
    const ctx = path.join(scratch, 'ctx');
    fs.mkdirSync(ctx);
    const fd = fs.openSync(path.join(ctx, 'payload'), 'w');
    const mib = Buffer.alloc(1 << 20, 0x63);
    for (let i = 0; i < BUILD_MIB; i++) fs.writeSync(fd, mib);
    fs.closeSync(fd);
    fs.writeFileSync(path.join(ctx, 'Dockerfile'), 'FROM scratch\nCOPY Dockerfile /Dockerfile\n');
    rows.push([`docker build, ${BUILD_MIB} MiB context`, BUILD_MIB, await timed(async () => must(await env.docker(['build', '-q', '-t', 'bench/ctx', ctx], { timeoutMs: 1_800_000 }), 'build'))]);

    const pad = Math.max(...rows.map(([n]) => n.length), 34);
    console.log(`${'path'.padEnd(pad)}  MiB   seconds   MiB/s   of ceiling`);
    console.log(`${'ceiling: loopback TCP in a container'.padEnd(pad)}  ${String(CEILING_MIB).padStart(4)}  ${(CEILING_MIB / ceiling).toFixed(2).padStart(8)}  ${ceiling.toFixed(1).padStart(6)}   100%`);
    for (const [name, size, seconds] of rows) {
      const rate = size / seconds;
      console.log(`${name.padEnd(pad)}  ${String(size).padStart(4)}  ${seconds.toFixed(2).padStart(8)}  ${rate.toFixed(1).padStart(6)}   ${((rate / ceiling) * 100).toFixed(0).padStart(3)}% (goal >= 50%)`);
    }
    await env.wharf(['stop'], { timeoutMs: 120_000 });
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
    env.cleanup();
  }
}

main().catch((err) => { console.error(err); process.exit(1); });
