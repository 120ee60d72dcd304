import net from 'node:net';
import tls from 'node:tls';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { TlsMaterial } from './certs.js';
import type { HostPathMapper } from './bind-paths.js';
import { CreateRequestRewriter } from './create-rewriter.js';
import { ConnectGate } from './connect-gate.js';
import { cipherList, type TlsCipherPreference } from './cipher-order.js';
import { monotonicMs } from '../util/clock.js';
import { ensurePrivateDir } from '../util/private-dir.js';
import { securePipeOrClose } from '../transports/pipe-security.js';

const CONNECT_TIMEOUT_MS = 15_000;
/** A warm connection older than this is not trusted to still be alive. */
const SPARE_MAX_AGE_MS = 20_000;
/** QEMU's user network accepts host forwards with listen(fd, 1): two may wait for accept(); see connect-gate.ts. */
const ENGINE_ACCEPT_QUEUE = 2;
/** Bytes from dockerd this recent prove it answers; the health check need not add a ping to a busy engine's queue. */
const HEARD_RECENTLY_MS = 2000;

/** The health check declared the engine not answering while this client waited: it gets a 503 with the reason. */
class EngineUnavailable extends Error {}

export interface ProxyTarget {
  host: string;
  port: number;
  tls: TlsMaterial;
  /**
   * When host paths differ from guest paths (Windows -> WSL), bind sources in
   * POST /containers/create are rewritten with this; every other request streams as bytes.
   */
  mapHostPath?: HostPathMapper;
  /** The AEAD the guest CPU runs fastest (ChaCha20 on an emulated CPU); see cipher-order.ts. */
  cipherPreference?: TlsCipherPreference;
}

export interface ProxyOptions {
  /**
   * A second socket for Wharf's own engine client. Its connections are not
   * "use" (Resource Saver ignores them) and never wake a suspended engine.
   */
  internalPath?: string;
}

/** Use of the engine by clients other than Wharf itself, for Resource Saver. */
export interface ProxyActivity {
  /** Client connections open now. */
  open: number;
  /** When a client connection last opened or closed (ms since epoch); 0 = never. */
  lastAt: number;
}

/**
 * The host's docker.sock (a named pipe on Windows): every connection is piped
 * byte for byte to the guest's dockerd over mutual TLS. Byte piping keeps
 * hijacked attach/exec streams and half-closes intact. One TLS connection is
 * kept handshaken ahead of demand so the CLI does not pay for the handshake.
 */
export class DockerSocketProxy {
  private server?: net.Server;
  private internalServer?: net.Server;
  private spare?: Promise<tls.TLSSocket>;
  private spareAt = 0;
  private target?: ProxyTarget;
  private connections = new Set<net.Socket>();
  private clientsOpen = 0;
  private lastActivityAt = 0;
  /** Set while the engine is suspended (Resource Saver): starts it again. */
  private waker?: () => Promise<void>;
  private waking?: Promise<void>;
  /** While set, new clients get this as a 503 at once instead of waiting on an engine that does not answer. */
  private unavailable?: string;
  private readonly gate = new ConnectGate(ENGINE_ACCEPT_QUEUE);
  /** When dockerd last sent anything on any connection (monotonic ms). */
  private heardAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly listenPath: string, private readonly opts: ProxyOptions = {}) {}

  async start(target: ProxyTarget): Promise<void> {
    this.target = target;
    this.waker = undefined;
    if (this.server) {
      this.warm();
      return;
    }
    this.server = await listen(this.listenPath, (client) => this.handle(client, false));
    if (this.opts.internalPath) this.internalServer = await listen(this.opts.internalPath, (client) => this.handle(client, true));
    this.warm();
  }

  get activity(): ProxyActivity {
    return { open: this.clientsOpen, lastAt: this.lastActivityAt };
  }

  get suspended(): boolean {
    return this.waker !== undefined;
  }

  /**
   * Resource Saver: the engine goes away but the socket stays. The next client
   * connection is held while `wake` starts the engine (which calls start()
   * with the new target), then piped as usual. Internal connections get a 502.
   */
  suspend(wake: () => Promise<void>): void {
    this.waker = wake;
    this.target = undefined;
    for (const c of this.connections) c.destroy();
    this.spare?.then((s) => s.destroy(), () => undefined);
    this.spare = undefined;
  }

  private wakeOnce(): Promise<void> {
    const wake = this.waker;
    if (!wake) return Promise.resolve();
    this.waking ??= wake().finally(() => { this.waking = undefined; });
    return this.waking;
  }

  /** Says why new clients are refused (the engine is not answering), or undefined to serve them again. */
  setUnavailable(reason: string | undefined): void {
    this.unavailable = reason;
    // Clients that queued for a connection before the verdict get it now, not after the connections ahead time out.
    if (reason) this.gate.cancelWaiting(new EngineUnavailable(reason));
  }

  /**
   * Resolves if dockerd answers within `timeoutMs`: at once when it sent bytes
   * on any connection in the last 2 s (a busy engine is not a hung one, and a
   * ping would only join the queue of its connections), otherwise by a bounded
   * `GET /_ping` over a TLS connection of its own (not the socket clients use,
   * so it works while clients are refused).
   */
  async ping(timeoutMs: number): Promise<void> {
    if (!this.target) throw new Error('not started');
    if (monotonicMs() - this.heardAt < Math.min(timeoutMs, HEARD_RECENTLY_MS)) return;
    const deadline = monotonicMs() + timeoutMs;
    const sock = await this.connect(timeoutMs, () => (monotonicMs() >= deadline ? new Error(`no place to connect within ${timeoutMs} ms`) : undefined));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no answer to /_ping within ${timeoutMs} ms`)), timeoutMs);
        let head = '';
        sock.setEncoding('latin1');
        sock.on('data', (d: string) => {
          head += d;
          if (head.includes('\r\n')) {
            clearTimeout(timer);
            if (/^HTTP\/1\.[01] 200/.test(head)) resolve(); else reject(new Error(`dockerd answered ${head.split('\r\n')[0]}`));
          }
        });
        sock.once('error', (err) => { clearTimeout(timer); reject(err); });
        sock.once('close', () => { clearTimeout(timer); reject(new Error('closed')); });
        sock.write('GET /_ping HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n');
      });
    } finally {
      sock.destroy();
    }
  }

  /** A TLS connection to dockerd, once the gate has a place for it (see connect-gate.ts). */
  private connect(timeoutMs = CONNECT_TIMEOUT_MS, stillWanted?: () => Error | undefined): Promise<tls.TLSSocket> {
    return this.gate.run(() => this.handshake(timeoutMs), () => stillWanted?.() ?? (this.target ? undefined : new Error('the engine is not running')));
  }

  private handshake(timeoutMs: number): Promise<tls.TLSSocket> {
    const t = this.target!;
    return new Promise((resolve, reject) => {
      // QEMU's user network accepts on the host side at once; if the guest never
      // answers, the handshake would wait forever and so would the docker client.
      const timer = setTimeout(() => { sock.destroy(); reject(new Error(`no TLS handshake with the engine within ${timeoutMs / 1000} s`)); }, timeoutMs);
      // A half-open capable TCP socket underneath, so `docker attach` can close stdin and still read.
      const raw = net.createConnection({ host: t.host, port: t.port, allowHalfOpen: true });
      raw.setNoDelay(true);
      const sock = tls.connect({ socket: raw, ca: t.tls.ca, cert: t.tls.clientCert, key: t.tls.clientKey, servername: 'wharf-vm', ciphers: cipherList(t.cipherPreference) });
      raw.once('error', reject);
      sock.once('secureConnect', () => { clearTimeout(timer); sock.off('error', reject); this.heard(); resolve(sock); });
      sock.once('error', reject);
    });
  }

  private heard(): void {
    this.heardAt = monotonicMs();
  }

  private warm(): void {
    if (!this.target) return;
    this.spare?.then((s) => s.destroy(), () => undefined);
    const p = this.connect();
    p.catch(() => undefined);
    this.spare = p;
    this.spareAt = monotonicMs();
  }

  private async upstream(stillWanted: () => Error | undefined): Promise<tls.TLSSocket> {
    const spare = this.spare;
    const fresh = monotonicMs() - this.spareAt < SPARE_MAX_AGE_MS;
    this.spare = undefined;
    this.warm();
    if (spare && fresh) {
      try {
        const s = await spare;
        if (!s.destroyed && s.readyState === 'open') return s;
      } catch {}
    } else if (spare) {
      // An idle connection may have been dropped without a word; use a new one.
      spare.then((s) => s.destroy(), () => undefined);
    }
    return this.connect(CONNECT_TIMEOUT_MS, stillWanted);
  }

  /** A busy emulated guest can refuse a connection now and then; two quick retries hide that. */
  private async upstreamWithRetry(client: net.Socket): Promise<tls.TLSSocket> {
    const stillWanted = () => (client.destroyed ? new Error('the client hung up') : this.unavailable ? new EngineUnavailable(this.unavailable) : undefined);
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.upstream(stillWanted);
      } catch (err) {
        if (attempt >= 2 || !this.server || stillWanted()) throw err;
        await new Promise((r) => setTimeout(r, 150 * (attempt + 1)));
      }
    }
  }

  private async handle(client: net.Socket, internal: boolean): Promise<void> {
    // First, before anything can write: a client that hangs up early must not
    // become an unhandled 'error' event that takes the whole core down.
    const link: { up?: tls.TLSSocket } = {};
    client.on('error', () => link.up?.destroy());
    this.connections.add(client);
    if (!internal) {
      this.clientsOpen++;
      this.lastActivityAt = Date.now();
    }
    client.on('close', () => {
      this.connections.delete(client);
      if (!internal) {
        this.clientsOpen--;
        this.lastActivityAt = Date.now();
      }
    });
    client.pause();
    const refuse = (reason: string) => {
      const body = JSON.stringify({ message: reason });
      client.end(`HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    };
    if (this.unavailable) return refuse(this.unavailable);
    let up: tls.TLSSocket;
    try {
      if (this.waker) {
        if (internal) throw new Error('the engine is stopped by Resource Saver');
        await this.wakeOnce();
      }
      if (!this.target) throw new Error('the engine is not running');
      up = await this.upstreamWithRetry(client);
    } catch (err) {
      if (client.destroyed || !client.writable) return;
      if (err instanceof EngineUnavailable) return refuse(err.message);
      const body = JSON.stringify({ message: `Wharf cannot reach the engine in the VM: ${(err as Error).message}. Is it running? Try \`wharf status\`.` });
      client.end(`HTTP/1.1 502 Bad Gateway\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
      return;
    }
    if (client.destroyed) {
      up.destroy();
      return;
    }
    link.up = up;
    this.connections.add(up);
    up.on('close', () => this.connections.delete(up));
    up.setNoDelay(true);
    const map = this.target?.mapHostPath;
    if (map) {
      const rewriter = new CreateRequestRewriter(map, (status, message) => {
        const body = JSON.stringify({ message });
        client.write(`HTTP/1.1 ${status} Bad Request\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      });
      rewriter.on('error', () => { client.destroy(); up.destroy(); });
      client.pipe(rewriter).pipe(up);
    } else {
      client.pipe(up);
    }
    up.pipe(client);
    up.on('data', () => this.heard());
    client.resume();
    up.on('error', () => client.destroy());
  }

  async stop(): Promise<void> {
    const servers = [this.server, this.internalServer];
    this.server = undefined;
    this.internalServer = undefined;
    this.waker = undefined;
    this.target = undefined;
    for (const c of this.connections) c.destroy();
    this.spare?.then((s) => s.destroy(), () => undefined);
    this.spare = undefined;
    for (const server of servers) if (server) await new Promise<void>((r) => server.close(() => r()));
    if (process.platform !== 'win32') {
      for (const p of [this.listenPath, this.opts.internalPath]) if (p) await fs.rm(p, { force: true });
    }
  }
}

async function listen(listenPath: string, onClient: (client: net.Socket) => void): Promise<net.Server> {
  if (process.platform !== 'win32') {
    // Private before bind: the socket has the umask's mode until the chmod below.
    await ensurePrivateDir(path.dirname(listenPath));
    await fs.rm(listenPath, { force: true });
  }
  // Windows: no client reaches the engine until the pipe's access list is owner-only.
  let secured = process.platform !== 'win32';
  const server = net.createServer({ allowHalfOpen: true }, (client) => { if (secured) onClient(client); else client.destroy(); });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listenPath, () => { server.off('error', reject); resolve(); });
  });
  if (process.platform !== 'win32') await fs.chmod(listenPath, 0o600);
  else await securePipeOrClose(server, listenPath);
  secured = true;
  return server;
}
