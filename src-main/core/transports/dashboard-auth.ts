import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';

import { DASHBOARD_KEY_PROTOCOL_PREFIX as KEY_PROTOCOL_PREFIX, DASHBOARD_PAGE_KEY_PARAM, DASHBOARD_WS_PROTOCOL, type DashboardKeyProtocol } from '../contract/wire.js';

export const SESSION_COOKIE = 'wharf_session';
export const WS_PROTOCOL = DASHBOARD_WS_PROTOCOL;
export const PAGE_KEY_PARAM = DASHBOARD_PAGE_KEY_PARAM;

/** The second subprotocol that carries the page key on the WebSocket handshake. */
export function wsKeyProtocol(key: string): DashboardKeyProtocol {
  return `${KEY_PROTOCOL_PREFIX}${key}`;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface DashboardAuthOptions {
  /** Monotonic milliseconds; a wall-clock jump must neither expire nor revive anything. */
  now?: () => number;
  /** How long a printed link can be redeemed. Default 10 minutes. */
  tokenTtlMs?: number;
  /** A session unused this long ends. Default 8 hours. */
  sessionIdleMs?: number;
  /** No session lives longer than this. Default 24 hours. */
  sessionMaxMs?: number;
}

interface Session {
  key: string;
  created: number;
  lastUsed: number;
}

/**
 * Guards the dashboard. A one-time token in the printed URL is traded for
 * two secrets: an HttpOnly, SameSite=Strict cookie, and a page key handed
 * over in the redirect's URL fragment, which browsers never send to any
 * server. Cookies are not scoped by port, so every server on 127.0.0.1
 * (a container the user opens, say) receives the cookie and could replay it;
 * the WebSocket, which is where the power is, therefore needs the page key
 * too, and only the dashboard's own origin can read that from its storage.
 * Host and Origin must name the loopback origin we serve (DNS rebinding,
 * cross-site pages). Links and sessions expire and can all be revoked.
 */
export class DashboardAuth {
  private tokens = new Map<string, number>();
  private sessions = new Map<string, Session>();
  private readonly now: () => number;
  private readonly tokenTtlMs: number;
  private readonly sessionIdleMs: number;
  private readonly sessionMaxMs: number;
  port = 0;

  constructor(opts: DashboardAuthOptions = {}) {
    this.now = opts.now ?? (() => performance.now());
    this.tokenTtlMs = opts.tokenTtlMs ?? 10 * 60_000;
    this.sessionIdleMs = opts.sessionIdleMs ?? 8 * 3600_000;
    this.sessionMaxMs = opts.sessionMaxMs ?? 24 * 3600_000;
  }

  mintToken(): string {
    const token = randomBytes(24).toString('base64url');
    this.tokens.set(token, this.now() + this.tokenTtlMs);
    return token;
  }

  /** Consumes a token; returns the new session id and page key, or undefined when the token is not valid. */
  redeem(token: string): { session: string; key: string } | undefined {
    const now = this.now();
    for (const [t, expires] of this.tokens) {
      if (expires < now) { this.tokens.delete(t); continue; }
      if (same(t, token)) {
        this.tokens.delete(t);
        const session = randomBytes(32).toString('base64url');
        const key = randomBytes(32).toString('base64url');
        this.sessions.set(session, { key, created: now, lastUsed: now });
        return { session, key };
      }
    }
    return undefined;
  }

  /** Ends every session and unredeemed link; returns how many sessions ended. */
  revokeAll(): number {
    const n = this.sessions.size;
    this.sessions.clear();
    this.tokens.clear();
    return n;
  }

  sessionCount(): number {
    return this.sessions.size;
  }

  allowedHosts(): string[] {
    return [`127.0.0.1:${this.port}`, `localhost:${this.port}`];
  }

  hostOk(req: IncomingMessage): boolean {
    return this.allowedHosts().includes(String(req.headers.host ?? '').toLowerCase());
  }

  /** Origin is required on WebSocket upgrades and state-changing requests. */
  originOk(req: IncomingMessage, required: boolean): boolean {
    const origin = req.headers.origin;
    if (!origin) return !required;
    return this.allowedHosts().some((h) => origin === `http://${h}`);
  }

  /** The live session the request's cookie names, touched; undefined if none. */
  sessionOf(req: IncomingMessage): string | undefined {
    const cookies = String(req.headers.cookie ?? '').split(';').map((c) => c.trim());
    const now = this.now();
    for (const c of cookies) {
      const eq = c.indexOf('=');
      if (eq < 0 || c.slice(0, eq) !== SESSION_COOKIE) continue;
      const value = c.slice(eq + 1);
      for (const [id, s] of this.sessions) {
        if (!same(id, value)) continue;
        if (now - s.lastUsed > this.sessionIdleMs || now - s.created > this.sessionMaxMs) {
          this.sessions.delete(id);
          return undefined;
        }
        s.lastUsed = now;
        return id;
      }
    }
    return undefined;
  }

  sessionOk(req: IncomingMessage): boolean {
    return this.sessionOf(req) !== undefined;
  }

  /** A WebSocket needs a live session cookie and that session's page key as a subprotocol. */
  socketSession(req: IncomingMessage): string | undefined {
    const id = this.sessionOf(req);
    if (!id) return undefined;
    const offered = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
    const key = offered.find((p) => p.startsWith(KEY_PROTOCOL_PREFIX))?.slice(KEY_PROTOCOL_PREFIX.length);
    const session = this.sessions.get(id);
    return key !== undefined && session && same(session.key, key) ? id : undefined;
  }

  /** Whether a session (of an open socket) is still live; revocation and expiry close sockets. */
  isLive(id: string): boolean {
    const s = this.sessions.get(id);
    if (!s) return false;
    const now = this.now();
    return now - s.created <= this.sessionMaxMs;
  }
}
