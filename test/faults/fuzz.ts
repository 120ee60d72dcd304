import { contract } from '../../src-main/core/contract/services.js';

/** A small seeded PRNG (mulberry32): a failing seed replays the same messages. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every method the contract declares, as `service.name`. */
export const contractMethods: string[] = Object.entries(contract).flatMap(([svc, methods]) => Object.keys(methods).map((m) => `${svc}.${m}`));

/**
 * Methods the fuzzer may call with valid names: they read and never start,
 * stop, delete, save or open a stream. Everything else is only reached through
 * names that do not exist (which must be refused).
 */
const READ_ONLY = /\.(status|logs|list|inspect|stats|host|get|defaults|plan|validateDaemonJson)$/;
export const readOnlyMethods = contractMethods.filter((m) => READ_ONLY.test(m) && m !== 'containers.logs');

const NASTY_NAMES = [
  '__proto__', 'constructor', 'prototype', 'toString', 'engine.__proto__', 'engine.constructor', '__proto__.polluted',
  'settings.__defineGetter__', 'hasOwnProperty', 'engine.', '.status', '..', 'engine.status.extra', 'ENGINE.STATUS',
  'streams.write\u0000', 'a'.repeat(5000), '', ' ', 'engine.status ', 'vm.shell/../engine.stop',
];

export type Pick = <T>(xs: readonly T[]) => T;

export class Fuzzer {
  readonly next: () => number;
  constructor(readonly seed: number) {
    this.next = rng(seed);
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }

  string(max = 40): string {
    const pools = ['abcdefghijklmnopqrstuvwxyz0123456789', '"\\{}[]:,\'`$;|&<>%\t', '\u00e9\u4e2d\ud83d\ude00\u202e\ufffd', '\u0000\u0001\u001b\u007f'];
    let s = '';
    const len = this.int(max);
    for (let i = 0; i < len; i++) {
      const pool = this.pick(pools);
      s += pool[this.int(pool.length)];
    }
    return s;
  }

  value(depth = 0): unknown {
    switch (this.int(depth > 4 ? 5 : 9)) {
      case 0: return null;
      case 1: return this.next() < 0.5;
      case 2: return this.pick([0, -1, 1e308, -1e308, 2 ** 53 + 1, 0.5, 65536, -0, 1e-300]);
      case 3: return this.string();
      case 4: return this.int(1000);
      case 5: case 6: return Array.from({ length: this.int(5) }, () => this.value(depth + 1));
      default: {
        const o: Record<string, unknown> = {};
        const keys = ['force', 'lines', 'follow', 'tail', 'cpus', 'memory', 'image', 'name', '__proto__', 'constructor', this.string(8)];
        for (let i = this.int(5); i > 0; i--) o[this.pick(keys)] = this.value(depth + 1);
        return o;
      }
    }
  }

  /** One line of text that is a message: random bytes, random JSON, or a mutated call. Never blank. */
  message(id: number): { text: string; kind: string } {
    const roll = this.int(10);
    let text: string;
    let kind: string;
    if (roll === 0) {
      kind = 'bytes';
      text = Array.from({ length: 1 + this.int(200) }, () => String.fromCharCode(1 + this.int(254))).join('');
    } else if (roll === 1) {
      kind = 'json-value';
      text = JSON.stringify(this.value()) ?? 'null';
    } else if (roll <= 3) {
      kind = 'unknown-method';
      text = JSON.stringify({ type: 'call', id, method: this.next() < 0.6 ? this.pick(NASTY_NAMES) : this.string(30), args: this.value() });
    } else if (roll <= 6) {
      kind = 'read-only-call';
      const args = this.next() < 0.3 ? [] : Array.from({ length: this.int(4) }, () => this.value());
      text = JSON.stringify({ type: 'call', id, method: this.pick(readOnlyMethods), args });
    } else if (roll === 7) {
      kind = 'bad-envelope';
      text = JSON.stringify(this.pick([
        { type: 'call', id: this.string(5), method: 'engine.status', args: [] },
        { type: 'event', id, name: 'vmState', payload: { state: 'running' } },
        { type: 'result', id, ok: true, result: 1 },
        { id, method: 'engine.status' },
        { type: 'call', id, method: 42, args: [] },
        { type: 'call', id, method: 'engine.status', args: this.value() },
      ]));
    } else {
      kind = 'mutated';
      const base = JSON.stringify({ type: 'call', id, method: this.pick(readOnlyMethods), args: [this.value()] });
      const chars = [...base];
      for (let i = 1 + this.int(4); i > 0; i--) {
        const at = this.int(chars.length);
        const op = this.int(3);
        if (op === 0) chars.splice(at, 1);
        else if (op === 1) chars.splice(at, 0, this.pick(['"', '{', '}', ',', ':', '\\', '[', 'x', '9']));
        else chars.length = Math.max(1, at);
      }
      text = chars.join('');
    }
    // One message per line: no newline inside, and never a blank line (those are skipped by design).
    text = text.replace(/[\r\n]/g, ' ');
    if (!text.trim()) text = 'x';
    return { text, kind };
  }
}
