/**
 * A streaming tar reader (ustar, GNU long names, PAX path/linkpath/size), for
 * the engine's archive API: listings read only headers, downloads one body.
 * Bodies are handed out in pieces as they arrive; nothing is buffered whole.
 */
export interface TarHeader {
  name: string;
  /** '0' file, '5' dir, '2' symlink, '1' hard link, others as in the tar spec. */
  type: string;
  size: number;
  mode: number;
  mtime: number;
  uid: number;
  gid: number;
  linkname: string;
}

export interface TarHandlers {
  onEntry(h: TarHeader): void;
  onData?(h: TarHeader, chunk: Buffer): void;
}

const BLOCK = 512;

function str(buf: Buffer, at: number, len: number): string {
  const end = buf.indexOf(0, at);
  return buf.toString('utf8', at, end < 0 || end > at + len ? at + len : end);
}

function num(buf: Buffer, at: number, len: number): number {
  // GNU base-256 for large values: high bit set in the first byte.
  if (buf[at]! & 0x80) {
    let v = 0;
    for (let i = at + 1; i < at + len; i++) v = v * 256 + buf[i]!;
    return v;
  }
  const s = str(buf, at, len).trim();
  return s ? parseInt(s, 8) : 0;
}

function parsePax(body: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let at = 0;
  while (at < body.length) {
    const sp = body.indexOf(0x20, at);
    if (sp < 0) break;
    const len = parseInt(body.toString('ascii', at, sp), 10);
    if (!Number.isFinite(len) || len <= 0) break;
    const rec = body.toString('utf8', sp + 1, at + len - 1);
    const eq = rec.indexOf('=');
    if (eq > 0) out[rec.slice(0, eq)] = rec.slice(eq + 1);
    at += len;
  }
  return out;
}

export class TarReader {
  private buf: Buffer = Buffer.alloc(0);
  private current: TarHeader | undefined;
  /** Body bytes of the current entry still to come, then its padding. */
  private left = 0;
  private pad = 0;
  /** Metadata entries (PAX 'x', GNU 'L'/'K') are collected, then applied to the next header. */
  private meta: { kind: string; chunks: Buffer[] } | undefined;
  private pax: Record<string, string> = {};
  private longName: string | undefined;
  private longLink: string | undefined;
  ended = false;

  constructor(private readonly handlers: TarHandlers) {}

  write(chunk: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    let at = 0;
    for (;;) {
      if (this.ended) { this.buf = Buffer.alloc(0); return; }
      if (this.left > 0) {
        const n = Math.min(this.left, this.buf.length - at);
        if (n <= 0) break;
        const piece = this.buf.subarray(at, at + n);
        if (this.meta) this.meta.chunks.push(Buffer.from(piece));
        else if (this.current) this.handlers.onData?.(this.current, piece);
        this.left -= n;
        at += n;
        if (this.left > 0) break;
        if (this.meta) this.finishMeta();
      }
      if (this.pad > 0) {
        const n = Math.min(this.pad, this.buf.length - at);
        this.pad -= n;
        at += n;
        if (this.pad > 0) break;
      }
      if (this.buf.length - at < BLOCK) break;
      const block = this.buf.subarray(at, at + BLOCK);
      at += BLOCK;
      if (block.every((b) => b === 0)) { this.ended = true; continue; }
      this.header(block);
    }
    this.buf = this.buf.subarray(at);
  }

  private header(block: Buffer): void {
    const type = String.fromCharCode(block[156] || 0x30);
    const size = num(block, 124, 12);
    this.pad = (BLOCK - (size % BLOCK)) % BLOCK;
    if (type === 'x' || type === 'L' || type === 'K') {
      this.meta = { kind: type, chunks: [] };
      this.left = size;
      this.current = undefined;
      if (size === 0) this.finishMeta();
      return;
    }
    if (type === 'g') { this.left = size; this.current = undefined; this.meta = { kind: 'g', chunks: [] }; if (size === 0) this.finishMeta(); return; }
    const prefix = block.toString('ascii', 257, 262) === 'ustar' ? str(block, 345, 155) : '';
    const base = str(block, 0, 100);
    let name = this.pax.path ?? this.longName ?? (prefix ? `${prefix}/${base}` : base);
    const linkname = this.pax.linkpath ?? this.longLink ?? str(block, 157, 100);
    const realSize = this.pax.size !== undefined ? Number(this.pax.size) : size;
    if (this.pax.size !== undefined) this.pad = (BLOCK - (realSize % BLOCK)) % BLOCK;
    const mtime = this.pax.mtime !== undefined ? Math.floor(Number(this.pax.mtime)) : num(block, 136, 12);
    if (name.startsWith('./')) name = name.slice(2) || '.';
    const h: TarHeader = {
      name, type: type === '\0' ? '0' : type, size: realSize, mode: num(block, 100, 8), mtime,
      uid: num(block, 108, 8), gid: num(block, 116, 8), linkname,
    };
    this.pax = {};
    this.longName = undefined;
    this.longLink = undefined;
    this.current = h;
    this.handlers.onEntry(h);
    // Links and directories carry no body even when a size is set.
    this.left = h.type === '0' || h.type === '7' ? realSize : 0;
    if (this.left === 0) this.pad = h.type === '0' || h.type === '7' ? this.pad : (BLOCK - (size % BLOCK)) % BLOCK;
  }

  private finishMeta(): void {
    const m = this.meta!;
    this.meta = undefined;
    const body = Buffer.concat(m.chunks);
    if (m.kind === 'x') this.pax = parsePax(body);
    else if (m.kind === 'L') this.longName = str(body, 0, body.length);
    else if (m.kind === 'K') this.longLink = str(body, 0, body.length);
  }
}
