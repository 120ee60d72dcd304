import assert from 'node:assert/strict';

/** A tiny ustar/PAX reader, so the format is checked even where no tar binary exists. */
export function readTar(buf: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  let off = 0;
  let paxPath: string | undefined;
  while (off + 512 <= buf.length) {
    const h = buf.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break;
    const field = (s: number, l: number) => h.subarray(s, s + l).toString('utf8').replace(/\0.*$/s, '');
    const size = Number.parseInt(field(124, 12), 8);
    const stored = Number.parseInt(field(148, 8).trim(), 8);
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : h[i]!;
    assert.equal(sum, stored, 'header checksum');
    const data = buf.subarray(off + 512, off + 512 + size).toString('utf8');
    const type = field(156, 1);
    if (type === 'x') {
      paxPath = /\d+ path=(.*)\n/.exec(data)?.[1];
    } else {
      out.set(paxPath ?? field(0, 100), data);
      paxPath = undefined;
    }
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}

