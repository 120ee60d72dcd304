import http from 'node:http';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { DashboardAuth, PAGE_KEY_PARAM, SESSION_COOKIE, WS_PROTOCOL } from './dashboard-auth.js';
import { relayToCore } from './dashboard-relay.js';
import { DASHBOARD_SESSION_ENDED as SESSION_ENDED } from '../contract/wire.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json', '.woff2': 'font/woff2', '.ico': 'image/x-icon',
};

export interface DashboardOptions {
  /** The built renderer (out/renderer). */
  staticDir: string;
  controlSocket: string;
  port?: number;
}


/** The path of a request target, or undefined when it is not a URL at all (`http://[`). */
function requestUrl(req: http.IncomingMessage): URL | undefined {
  try {
    return new URL(req.url ?? '/', 'http://127.0.0.1');
  } catch {
    return undefined;
  }
}

function refuseUpgrade(socket: Duplex, status: string): void {
  socket.on('error', () => undefined);
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/**
 * `wharf dashboard`: the renderer served on 127.0.0.1, with the contract
 * relayed between a WebSocket and the core's control socket, message for
 * message. The core validates every call; this layer authenticates.
 */
export class DashboardServer {
  readonly auth = new DashboardAuth();
  private server?: http.Server;
  private wss?: WebSocketServer;
  private expiryTimer?: NodeJS.Timeout;
  /** Open sockets and the session each belongs to. */
  private readonly sockets = new Map<WebSocket, string>();

  constructor(private readonly opts: DashboardOptions) {}

  async listen(): Promise<{ url: string; port: number }> {
    await fs.access(path.join(this.opts.staticDir, 'index.html')).catch(() => {
      throw new Error(`The dashboard is not built (${this.opts.staticDir}/index.html is missing). Run \`npm run build:renderer\`.`);
    });
    // Nothing a client sends may end the process: every handler catches.
    const server = http.createServer((req, res) => {
      this.handle(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end();
      });
    });
    server.on('clientError', (_err, socket) => refuseUpgrade(socket, '400 Bad Request'));
    const wss = new WebSocketServer({
      noServer: true,
      maxPayload: 2 * 1024 * 1024,
      handleProtocols: (offered) => (offered.has(WS_PROTOCOL) ? WS_PROTOCOL : false),
    });
    server.on('upgrade', (req, socket, head) => {
      try {
        const url = requestUrl(req);
        if (!url) return refuseUpgrade(socket, '400 Bad Request');
        const session = url.pathname === '/ws' && this.auth.hostOk(req) && this.auth.originOk(req, true) ? this.auth.socketSession(req) : undefined;
        if (!session) return refuseUpgrade(socket, '403 Forbidden');
        wss.handleUpgrade(req, socket, head, (ws) => {
          this.sockets.set(ws, session);
          ws.on('close', () => this.sockets.delete(ws));
          relayToCore(ws, this.opts.controlSocket);
        });
      } catch {
        refuseUpgrade(socket, '400 Bad Request');
      }
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.opts.port ?? 0, '127.0.0.1', () => resolve());
    });
    const addr = server.address();
    this.auth.port = typeof addr === 'object' && addr ? addr.port : 0;
    this.server = server;
    this.wss = wss;
    // Open sockets of sessions that expired meanwhile are closed too.
    this.expiryTimer = setInterval(() => this.closeEnded(), 60_000);
    this.expiryTimer.unref();
    return { url: this.loginUrl(), port: this.auth.port };
  }

  /** A fresh one-time URL. */
  loginUrl(): string {
    return `http://127.0.0.1:${this.auth.port}/?token=${this.auth.mintToken()}`;
  }

  /** Open browser sockets. */
  get socketCount(): number {
    return this.sockets.size;
  }

  /** Ends every session (`wharf dashboard --revoke`); returns how many ended. */
  revokeAll(): number {
    const n = this.auth.revokeAll();
    this.closeEnded();
    return n;
  }

  private closeEnded(): void {
    for (const [ws, session] of this.sockets) {
      if (!this.auth.isLive(session)) ws.close(SESSION_ENDED, 'session ended: open a new link from `wharf dashboard`');
    }
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const secHeaders = {
      'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer', 'X-Frame-Options': 'DENY',
      'Cache-Control': 'no-store',
    };
    if (!this.auth.hostOk(req)) {
      res.writeHead(421, { 'Content-Type': 'text/plain', ...secHeaders }).end('Wrong Host header: open the dashboard at the URL `wharf dashboard` printed.');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, secHeaders).end();
      return;
    }
    const url = requestUrl(req);
    if (!url) {
      res.writeHead(400, { 'Content-Type': 'text/plain', ...secHeaders }).end('Bad request target.');
      return;
    }
    const token = url.searchParams.get('token');
    if (token !== null) {
      const signedIn = this.auth.redeem(token);
      if (!signedIn) {
        res.writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8', ...secHeaders }).end('This dashboard link was already used or is not valid. Run `wharf dashboard` again for a new one.');
        return;
      }
      // The page key rides in the fragment: browsers keep it and never send it to a server.
      res.writeHead(302, {
        Location: `/#${PAGE_KEY_PARAM}=${signedIn.key}`,
        'Set-Cookie': `${SESSION_COOKIE}=${signedIn.session}; HttpOnly; SameSite=Strict; Path=/`,
        ...secHeaders,
      }).end();
      return;
    }
    if (!this.auth.sessionOk(req)) {
      res.writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8', ...secHeaders }).end('Not signed in: open the one-time URL that `wharf dashboard` printed.');
      return;
    }
    let pathname: string;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      res.writeHead(400, { 'Content-Type': 'text/plain', ...secHeaders }).end('Bad percent-encoding in the path.');
      return;
    }
    const rel = pathname === '/' ? 'index.html' : pathname.replace(/^\/+/, '');
    const file = path.resolve(this.opts.staticDir, rel);
    if (!file.startsWith(path.resolve(this.opts.staticDir) + path.sep)) {
      res.writeHead(404, secHeaders).end();
      return;
    }
    try {
      const body = await fs.readFile(file);
      const ext = path.extname(file);
      const headers: Record<string, string> = { 'Content-Type': TYPES[ext] ?? 'application/octet-stream', ...secHeaders };
      if (ext === '.html') {
        headers['Content-Security-Policy'] = `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' ws://127.0.0.1:${this.auth.port} ws://localhost:${this.auth.port}; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`;
      }
      res.writeHead(200, headers).end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain', ...secHeaders }).end('Not found');
    }
  }

  async close(): Promise<void> {
    clearInterval(this.expiryTimer);
    for (const c of this.wss?.clients ?? []) c.terminate();
    this.wss?.close();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
