import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const SESSION_COOKIE = 'wharf_session';

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Guards the dashboard: a one-time token in the printed URL is traded for an
 * HttpOnly, SameSite=Strict session cookie; Host and Origin must name the
 * loopback origin we serve, which defeats DNS rebinding and cross-site pages.
 */
export class DashboardAuth {
  private tokens = new Set<string>();
  private sessions = new Set<string>();
  port = 0;

  mintToken(): string {
    const token = randomBytes(24).toString('base64url');
    this.tokens.add(token);
    return token;
  }

  /** Consumes a token; returns a new session id, or undefined when the token is not valid. */
  redeem(token: string): string | undefined {
    for (const t of this.tokens) {
      if (same(t, token)) {
        this.tokens.delete(t);
        const session = randomBytes(32).toString('base64url');
        this.sessions.add(session);
        return session;
      }
    }
    return undefined;
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

  sessionOk(req: IncomingMessage): boolean {
    const cookies = String(req.headers.cookie ?? '').split(';').map((c) => c.trim());
    for (const c of cookies) {
      const [name, value] = c.split('=');
      if (name === SESSION_COOKIE && value) {
        for (const s of this.sessions) if (same(s, value)) return true;
      }
    }
    return false;
  }
}
