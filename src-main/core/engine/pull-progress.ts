import type { PullProgress } from '../contract/types.js';

/**
 * Folds the engine's pull messages (one JSON object per line:
 * `{status, id?, progressDetail?: {current,total}, error?}`) into one
 * PullProgress: a row per layer in first-seen order, plus done/error.
 */
export interface PullMessage {
  status?: string;
  id?: string;
  progress?: string;
  progressDetail?: { current?: number; total?: number };
  error?: string;
  errorDetail?: { message?: string };
}

type Layer = PullProgress['layers'][number];

const FINISHED = /^(Pull complete|Already exists|Download complete)$/i;

export class PullProgressAggregator {
  private layers = new Map<string, Layer>();
  private done = false;
  private error: string | undefined;
  /** Status lines without a layer: "Pulling from …", "Digest: …", "Status: …". */
  readonly notes: string[] = [];

  /** `finished` says which layer statuses mean done (pushes say "Pushed" and "Layer already exists"). */
  constructor(readonly ref: string, private readonly finished: RegExp = FINISHED) {}

  /** Applies one message; returns true when the visible progress changed. */
  apply(msg: PullMessage): boolean {
    const err = msg.error ?? msg.errorDetail?.message;
    if (err) {
      this.error = err;
      this.done = true;
      return true;
    }
    const status = msg.status ?? '';
    // Layer ids are (short) hex digests; the first line's id is the tag being pulled.
    if (msg.id && /^[0-9a-f]{12,64}$/.test(msg.id)) {
      const layer = this.layers.get(msg.id) ?? { id: msg.id, status: '' };
      layer.status = status;
      const cur = msg.progressDetail?.current;
      const tot = msg.progressDetail?.total;
      if (typeof tot === 'number' && tot > 0) layer.total = tot;
      if (typeof cur === 'number') layer.current = cur;
      if (this.finished.test(status)) {
        if (layer.total !== undefined) layer.current = layer.total;
        else delete layer.current;
      }
      this.layers.set(msg.id, layer);
      return true;
    }
    if (status) this.notes.push(msg.id ? `${msg.id}: ${status}` : status);
    return false;
  }

  finish(error?: string): void {
    this.done = true;
    if (error !== undefined && this.error === undefined) this.error = error;
  }

  get failed(): boolean {
    return this.error !== undefined;
  }

  snapshot(): PullProgress {
    const p: PullProgress = {
      ref: this.ref,
      layers: [...this.layers.values()].map((l) => ({ ...l })),
      done: this.done,
    };
    if (this.error !== undefined) p.error = this.error;
    return p;
  }
}

/** Splits a byte stream into lines of JSON, tolerating chunks cut mid-line. */
export class JsonLineSplitter {
  private buf = '';
  constructor(private readonly onValue: (value: unknown) => void, private readonly maxLine = 1024 * 1024) {}

  write(chunk: string): void {
    this.buf += chunk;
    let nl: number;
    while ((nl = this.buf.indexOf('\n')) >= 0) {
      const line = this.buf.slice(0, nl).trim();
      this.buf = this.buf.slice(nl + 1);
      if (line) this.parse(line);
    }
    if (this.buf.length > this.maxLine) this.buf = '';
  }

  end(): void {
    const line = this.buf.trim();
    this.buf = '';
    if (line) this.parse(line);
  }

  private parse(line: string): void {
    try {
      this.onValue(JSON.parse(line));
    } catch {
      // Not JSON (a proxy's error page, a truncated line): skip it.
    }
  }
}
