import type { BuildProgress, BuildStep } from '../contract/daily-types.js';

/**
 * BuildKit's progress, as the engine sends it on /build?version=2: JSON lines
 * `{"id":"moby.buildkit.trace","aux":"<base64 protobuf StatusResponse>"}`.
 * A small protobuf wire reader decodes the few fields a progress view needs
 * (moby/buildkit api/services/control StatusResponse), so no protobuf
 * runtime is loaded for it.
 */
type Field = { no: number; wire: number; varint?: bigint; bytes?: Buffer };

function* fields(buf: Buffer): Generator<Field> {
  let at = 0;
  const varint = (): bigint => {
    let v = 0n;
    let shift = 0n;
    for (;;) {
      if (at >= buf.length) throw new Error('truncated varint');
      const b = buf[at++]!;
      v |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
      shift += 7n;
    }
  };
  while (at < buf.length) {
    const key = Number(varint());
    const no = key >>> 3;
    const wire = key & 7;
    if (wire === 0) yield { no, wire, varint: varint() };
    else if (wire === 2) {
      const len = Number(varint());
      yield { no, wire, bytes: buf.subarray(at, at + len) };
      at += len;
    } else if (wire === 1) at += 8;
    else if (wire === 5) at += 4;
    else throw new Error(`unsupported wire type ${wire}`);
  }
}

function timestamp(buf: Buffer): number {
  let s = 0n;
  let n = 0n;
  for (const f of fields(buf)) {
    if (f.no === 1 && f.varint !== undefined) s = f.varint;
    if (f.no === 2 && f.varint !== undefined) n = f.varint;
  }
  return Number(s) * 1000 + Math.floor(Number(n) / 1e6);
}

export interface DecodedVertex { digest: string; name: string; cached: boolean; started?: number; completed?: number; error?: string }
export interface DecodedStatus { id: string; vertex: string; current: number; total: number; completed?: number }
export interface DecodedLog { vertex: string; msg: string }
export interface DecodedStatusResponse { vertexes: DecodedVertex[]; statuses: DecodedStatus[]; logs: DecodedLog[]; warnings: string[] }

export function decodeStatusResponse(buf: Buffer): DecodedStatusResponse {
  const out: DecodedStatusResponse = { vertexes: [], statuses: [], logs: [], warnings: [] };
  for (const f of fields(buf)) {
    if (!f.bytes) continue;
    if (f.no === 1) {
      const v: DecodedVertex = { digest: '', name: '', cached: false };
      for (const g of fields(f.bytes)) {
        if (g.no === 1 && g.bytes) v.digest = g.bytes.toString('utf8');
        else if (g.no === 3 && g.bytes) v.name = g.bytes.toString('utf8');
        else if (g.no === 4 && g.varint !== undefined) v.cached = g.varint !== 0n;
        else if (g.no === 5 && g.bytes) v.started = timestamp(g.bytes);
        else if (g.no === 6 && g.bytes) v.completed = timestamp(g.bytes);
        else if (g.no === 7 && g.bytes) v.error = g.bytes.toString('utf8');
      }
      out.vertexes.push(v);
    } else if (f.no === 2) {
      const s: DecodedStatus = { id: '', vertex: '', current: 0, total: 0 };
      for (const g of fields(f.bytes)) {
        if (g.no === 1 && g.bytes) s.id = g.bytes.toString('utf8');
        else if (g.no === 2 && g.bytes) s.vertex = g.bytes.toString('utf8');
        else if (g.no === 4 && g.varint !== undefined) s.current = Number(g.varint);
        else if (g.no === 5 && g.varint !== undefined) s.total = Number(g.varint);
        else if (g.no === 8 && g.bytes) s.completed = timestamp(g.bytes);
      }
      out.statuses.push(s);
    } else if (f.no === 3) {
      const l: DecodedLog = { vertex: '', msg: '' };
      for (const g of fields(f.bytes)) {
        if (g.no === 1 && g.bytes) l.vertex = g.bytes.toString('utf8');
        else if (g.no === 4 && g.bytes) l.msg = g.bytes.toString('utf8');
      }
      out.logs.push(l);
    } else if (f.no === 4) {
      for (const g of fields(f.bytes)) if (g.no === 3 && g.bytes) out.warnings.push(g.bytes.toString('utf8'));
    }
  }
  return out;
}

const MAX_LOG_LINES = 200;

/** Folds BuildKit status messages (and the engine's plain build messages) into one BuildProgress. */
export class BuildProgressAggregator {
  private steps = new Map<string, BuildStep>();
  private log: string[] = [];
  /** Output arrives in pieces per step; an unfinished line waits for the rest of its own step. */
  private partial = new Map<string, string>();
  private done = false;
  private error: string | undefined;
  private imageId: string | undefined;

  constructor(private readonly tag: string | undefined) {}

  /** Applies one JSON message from the /build stream; returns true when the progress changed. */
  apply(msg: { id?: string; aux?: unknown; stream?: string; error?: string; errorDetail?: { message?: string } }): boolean {
    const err = msg.error ?? msg.errorDetail?.message;
    if (err) { this.error = err; this.done = true; return true; }
    if (msg.id === 'moby.image.id' && msg.aux && typeof msg.aux === 'object') {
      const id = (msg.aux as { ID?: unknown }).ID;
      if (typeof id === 'string') this.imageId = id;
      return true;
    }
    if (msg.id === 'moby.buildkit.trace' && typeof msg.aux === 'string') {
      let decoded: DecodedStatusResponse;
      try {
        decoded = decodeStatusResponse(Buffer.from(msg.aux, 'base64'));
      } catch {
        return false;
      }
      for (const v of decoded.vertexes) {
        const s = this.steps.get(v.digest) ?? { digest: v.digest, name: v.name, cached: false };
        s.name = v.name || s.name;
        s.cached = v.cached;
        if (v.started !== undefined) s.started = v.started;
        if (v.completed !== undefined) s.completed = v.completed;
        if (v.error) s.error = v.error;
        this.steps.set(v.digest, s);
      }
      for (const st of decoded.statuses) {
        const s = this.steps.get(st.vertex);
        if (!s) continue;
        s.current = st.current;
        if (st.total > 0) s.total = st.total;
      }
      for (const l of decoded.logs) this.addLog(l.msg, l.vertex);
      for (const w of decoded.warnings) this.pushLines([`WARNING: ${w.trimEnd()}`]);
      return true;
    }
    if (typeof msg.stream === 'string') { this.addLog(msg.stream, ''); return true; }
    return false;
  }

  private addLog(text: string, vertex: string): void {
    const lines = ((this.partial.get(vertex) ?? '') + text).split(/\r?\n/);
    this.partial.set(vertex, lines.pop() ?? '');
    this.pushLines(lines);
  }

  private pushLines(lines: string[]): void {
    for (const l of lines) this.log.push(l);
    if (this.log.length > MAX_LOG_LINES) this.log.splice(0, this.log.length - MAX_LOG_LINES);
  }

  finish(error?: string): void {
    this.done = true;
    if (error !== undefined && this.error === undefined) this.error = error;
    this.pushLines([...this.partial.values()].filter(Boolean));
    this.partial.clear();
  }

  get failed(): boolean {
    return this.error !== undefined;
  }

  snapshot(): BuildProgress {
    const p: BuildProgress = { steps: [...this.steps.values()].map((s) => ({ ...s })), log: [...this.log], done: this.done };
    if (this.tag !== undefined) p.tag = this.tag;
    if (this.imageId !== undefined) p.imageId = this.imageId;
    if (this.error !== undefined) p.error = this.error;
    return p;
  }
}
