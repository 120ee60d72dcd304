import http from 'node:http';
import fs from 'node:fs/promises';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { DashboardAuth, SESSION_COOKIE } from './dashboard-auth.js';
import { ControlClient } from './control-client.js';

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

/**
 * `wharf dashboard`: the renderer served on 127.0.0.1, with the contract
 * relayed between a WebSocket and the core's control socket, message for
 * message. The core validates every call; this layer authenticates.
 */
export class DashboardServer {
  readonly auth = new DashboardAuth();
  private server?: http.Server;
  private wss?: WebSocketServer;

  constructor(private readonly opts: DashboardOptions) {}

  async listen(): Promise<{ url: string; port: number }> {
    await fs.access(path.join(this.opts.staticDir, 'index.html')).catch(() => {
      throw new Error(`The dashboard is not built (${this.opts.staticDir}/index.html is missing). Run \`npm run build:renderer\`.`);
    });
    const server = http.createServer((req, res) => void this.handle(req, res));
    const wss = new WebSocketServer({ noServer: true, maxPayload: 2 * 1024 * 1024 });
    server.on('upgrade', (req, socket, head) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname !== '/ws' || !this.auth.hostOk(req) || !this.auth.originOk(req, true) || !this.auth.sessionOk(req)) {
        socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => void this.relay(ws));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.opts.port ?? 0, '127.0.0.1', () => resolve());
    });
    const addr = server.address();
    this.auth.port = typeof addr === 'object' && addr ? addr.port : 0;
    this.server = server;
    this.wss = wss;
    return { url: this.loginUrl(), port: this.auth.port };
  }

  /** A fresh one-time URL. */
  loginUrl(): string {
    return `http://127.0.0.1:${this.auth.port}/?token=${this.auth.mintToken()}`;
  }

  private async relay(ws: WebSocket): Promise<void> {
    // The browser may call as soon as the socket opens, before the core
    // connection exists: listen first and hold calls until it is ready.
    let core: ControlClient | undefined;
    const waiting: unknown[] = [];
    const forward = async (data: unknown) => {
      let msg: { type?: unknown; id?: unknown; method?: unknown; args?: unknown };
      try {
        msg = JSON.parse(String(data)) as typeof msg;
      } catch {
        ws.send(JSON.stringify({ type: 'result', id: -1, ok: false, error: { name: 'BadRequest', message: 'Messages must be JSON.' } }));
        return;
      }
      if (msg.type !== 'call' || typeof msg.id !== 'number' || typeof msg.method !== 'string') {
        ws.send(JSON.stringify({ type: 'result', id: typeof msg.id === 'number' ? msg.id : -1, ok: false, error: { name: 'BadRequest', message: 'Expected a call message.' } }));
        return;
      }
      const res = await core!.call(msg.method, Array.isArray(msg.args) ? msg.args : [msg.args]);
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ ...res, id: msg.id }));
    };
    ws.on('message', (data) => {
      if (core) void forward(data);
      else waiting.push(data);
    });
    try {
      core = await ControlClient.connect(this.opts.controlSocket);
    } catch (err) {
      ws.close(1011, `core unreachable: ${(err as Error).message}`.slice(0, 120));
      return;
    }
    const connected = core;
    const off = connected.listen((e) => { if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(e)); });
    ws.on('close', () => { off(); connected.close(); });
    connected.onClose(() => ws.close(1012, 'core restarting'));
    for (const data of waiting.splice(0)) void forward(data);
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
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    const token = url.searchParams.get('token');
    if (token !== null) {
      const session = this.auth.redeem(token);
      if (!session) {
        res.writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8', ...secHeaders }).end('This dashboard link was already used or is not valid. Run `wharf dashboard` again for a new one.');
        return;
      }
      res.writeHead(302, { Location: '/', 'Set-Cookie': `${SESSION_COOKIE}=${session}; HttpOnly; SameSite=Strict; Path=/`, ...secHeaders }).end();
      return;
    }
    if (!this.auth.sessionOk(req)) {
      res.writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8', ...secHeaders }).end('Not signed in: open the one-time URL that `wharf dashboard` printed.');
      return;
    }
    const rel = decodeURIComponent(url.pathname) === '/' ? 'index.html' : decodeURIComponent(url.pathname).replace(/^\/+/, '');
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
    for (const c of this.wss?.clients ?? []) c.terminate();
    this.wss?.close();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
