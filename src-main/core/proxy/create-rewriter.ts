import { Transform, type TransformCallback } from 'node:stream';
import { BindPathError, rewriteCreateBody, type HostPathMapper } from './bind-paths.js';

/** Bounds: a request head and a create body larger than these are passed on untouched. */
const MAX_HEAD = 64 * 1024;
const MAX_CREATE_BODY = 4 * 1024 * 1024;
const CREATE_PATH = /^(\/v[\d.]+)?\/containers\/create(\?|$)/;

type Framing = { kind: 'length'; left: number } | { kind: 'chunked' } | { kind: 'none' };

/**
 * Sits on the client -> engine direction of one proxied connection. It frames
 * HTTP/1.1 requests (keep-alive carries several) and buffers the body of
 * `POST /containers/create` only, to rewrite host paths in it; every other byte
 * passes as is. After an upgrade (attach, exec, BuildKit sessions) or anything
 * it cannot frame, it stops parsing and pipes raw bytes for the rest of the
 * connection.
 */
export class CreateRequestRewriter extends Transform {
  private buf: Buffer = Buffer.alloc(0);
  private mode: 'head' | 'body' | 'create-body' | 'chunks' | 'raw' = 'head';
  private framing: Framing = { kind: 'none' };
  private createHead = '';
  private createLength = 0;
  /** Chunked pass-through: bytes of the current chunk still to copy (+2 for its CRLF). */
  private chunkLeft = 0;

  constructor(private readonly mapPath: HostPathMapper, private readonly refuse: (status: number, message: string) => void) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    try {
      this.drain();
    } catch (err) {
      done(err as Error);
      return;
    }
    done();
  }

  override _flush(done: TransformCallback): void {
    if (this.buf.length) this.push(this.buf);
    done();
  }

  private drain(): void {
    for (;;) {
      if (this.buf.length === 0) return;
      switch (this.mode) {
        case 'raw':
          this.push(this.buf);
          this.buf = Buffer.alloc(0);
          return;
        case 'head':
          if (!this.readHead()) return;
          break;
        case 'body': {
          const f = this.framing as { kind: 'length'; left: number };
          const n = Math.min(f.left, this.buf.length);
          this.push(this.buf.subarray(0, n));
          this.buf = this.buf.subarray(n);
          f.left -= n;
          if (f.left === 0) this.mode = 'head';
          break;
        }
        case 'chunks':
          if (!this.passChunks()) return;
          break;
        case 'create-body':
          if (this.buf.length < this.createLength) return;
          this.emitCreate(this.buf.subarray(0, this.createLength));
          this.buf = this.buf.subarray(this.createLength);
          this.mode = 'head';
          break;
      }
    }
  }

  /** false = need more bytes. */
  private readHead(): boolean {
    const end = this.buf.indexOf('\r\n\r\n');
    if (end < 0) {
      if (this.buf.length > MAX_HEAD) this.mode = 'raw';
      return this.mode === 'raw';
    }
    const headBytes = this.buf.subarray(0, end + 4);
    this.buf = this.buf.subarray(end + 4);
    const head = headBytes.toString('latin1');
    const [requestLine = '', ...lines] = head.slice(0, -4).split('\r\n');
    const [method = '', target = ''] = requestLine.split(' ');
    const headers = new Map<string, string>();
    for (const l of lines) {
      const i = l.indexOf(':');
      if (i > 0) headers.set(l.slice(0, i).trim().toLowerCase(), l.slice(i + 1).trim());
    }
    const upgrade = headers.has('upgrade') || /\bupgrade\b/i.test(headers.get('connection') ?? '');
    const length = headers.has('content-length') ? Number.parseInt(headers.get('content-length')!, 10) : undefined;
    const chunked = /\bchunked\b/i.test(headers.get('transfer-encoding') ?? '');
    if (method === 'POST' && CREATE_PATH.test(target) && !chunked && length !== undefined && length > 0 && length <= MAX_CREATE_BODY && !upgrade) {
      this.createHead = head;
      this.createLength = length;
      this.mode = 'create-body';
      return true;
    }
    this.push(headBytes);
    if (upgrade) { this.mode = 'raw'; return true; }
    if (chunked) { this.mode = 'chunks'; this.chunkLeft = 0; return true; }
    if (length !== undefined && Number.isFinite(length) && length > 0) {
      this.framing = { kind: 'length', left: length };
      this.mode = 'body';
      return true;
    }
    if (length !== undefined && !Number.isFinite(length)) this.mode = 'raw';
    return true;
  }

  /** Copies chunked framing through unchanged, to find where the request ends. */
  private passChunks(): boolean {
    for (;;) {
      if (this.chunkLeft > 0) {
        const n = Math.min(this.chunkLeft, this.buf.length);
        this.push(this.buf.subarray(0, n));
        this.buf = this.buf.subarray(n);
        this.chunkLeft -= n;
        if (this.chunkLeft > 0) return false;
        continue;
      }
      const eol = this.buf.indexOf('\r\n');
      if (eol < 0) {
        if (this.buf.length > MAX_HEAD) this.mode = 'raw';
        return this.mode === 'raw';
      }
      const size = Number.parseInt(this.buf.subarray(0, eol).toString('latin1').split(';')[0]!, 16);
      if (!Number.isFinite(size)) { this.mode = 'raw'; return true; }
      if (size === 0) {
        // Last chunk: no trailers from docker clients, so it ends with an empty line.
        const end = this.buf.indexOf('\r\n\r\n');
        if (end < 0) return false;
        this.push(this.buf.subarray(0, end + 4));
        this.buf = this.buf.subarray(end + 4);
        this.mode = 'head';
        return true;
      }
      this.push(this.buf.subarray(0, eol + 2));
      this.buf = this.buf.subarray(eol + 2);
      this.chunkLeft = size + 2;
    }
  }

  private emitCreate(body: Buffer): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      // Not ours to judge: dockerd answers a bad body itself.
      this.push(Buffer.from(this.createHead, 'latin1'));
      this.push(body);
      return;
    }
    try {
      if (!rewriteCreateBody(parsed, this.mapPath)) {
        this.push(Buffer.from(this.createHead, 'latin1'));
        this.push(body);
        return;
      }
    } catch (err) {
      if (!(err instanceof BindPathError)) throw err;
      this.refuse(400, err.message);
      return;
    }
    const next = Buffer.from(JSON.stringify(parsed), 'utf8');
    const head = this.createHead.replace(/\r\ncontent-length:[^\r]*/i, `\r\nContent-Length: ${next.length}`);
    this.push(Buffer.from(head, 'latin1'));
    this.push(next);
  }
}
