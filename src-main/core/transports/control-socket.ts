import net from 'node:net';
import fs from 'node:fs/promises';
import type { EventBus } from '../util/event-bus.js';
import type { StreamRegistry } from '../util/streams.js';
import type { Dispatch } from './dispatcher.js';
import { onJsonLines } from './ndjson.js';
import { openSession } from './session.js';
import { guardClientWrites } from './client-backpressure.js';
import path from 'node:path';
import { ensurePrivateDir } from '../util/private-dir.js';
import { securePipeOrClose } from './pipe-security.js';

/** Unread bytes above which a client's streams pause until it reads again. */
export const CLIENT_PAUSE_ABOVE = 1024 * 1024;
/** A client this far behind is dropped; its streams close with it. */
export const CLIENT_DROP_ABOVE = 16 * 1024 * 1024;

/**
 * $WHARF_HOME/run/control.sock (mode 0600): newline-delimited JSON with the
 * same call/result/event messages as every other transport. The CLI and the
 * dashboard relay connect here.
 */
export class ControlSocketServer {
  private server?: net.Server;
  private clients = new Set<net.Socket>();

  constructor(private readonly path: string, private readonly deps: { dispatch: Dispatch; bus: EventBus; streams: StreamRegistry }) {}

  get clientCount(): number {
    return this.clients.size;
  }

  /** Bytes written to clients that they have not read yet, summed. */
  bufferedBytes(): number {
    let n = 0;
    for (const c of this.clients) n += c.writableLength;
    return n;
  }

  async listen(): Promise<void> {
    if (process.platform !== 'win32') {
      // Private before bind: the socket has the umask's mode until the chmod below.
      await ensurePrivateDir(path.dirname(this.path));
      await fs.rm(this.path, { force: true });
    }
    // Windows: no client is served until the pipe's access list is owner-only (securePipe below).
    let secured = process.platform !== 'win32';
    const server = net.createServer((socket) => {
      if (!secured) { socket.destroy(); return; }
      this.clients.add(socket);
      let guard = () => {};
      const session = openSession(this.deps, (msg) => {
        if (socket.destroyed) return;
        socket.write(JSON.stringify(msg) + '\n');
        guard();
      });
      guard = guardClientWrites(socket, session.owner, this.deps.streams, { pauseAbove: CLIENT_PAUSE_ABOVE, dropAbove: CLIENT_DROP_ABOVE });
      onJsonLines(socket, (msg) => session.handle(msg), (line, err) => {
        socket.write(JSON.stringify({ type: 'result', id: -1, ok: false, error: { name: 'BadRequest', code: 'bad-request', message: `Not JSON (${err.message}): ${line.slice(0, 80)}` } }) + '\n');
      });
      socket.on('error', () => undefined);
      socket.on('close', () => { this.clients.delete(socket); session.close(); });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.path, () => { server.off('error', reject); resolve(); });
    });
    if (process.platform !== 'win32') await fs.chmod(this.path, 0o600);
    else await securePipeOrClose(server, this.path);
    secured = true;
    this.server = server;
  }

  async close(): Promise<void> {
    for (const c of this.clients) c.destroy();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((r) => server.close(() => r()));
    if (process.platform !== 'win32') await fs.rm(this.path, { force: true });
  }
}
