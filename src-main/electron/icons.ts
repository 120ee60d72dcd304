import { deflateSync } from 'node:zlib';
import type { TrayIconName } from './tray-menu.js';

/**
 * Tiny, dependency-free PNG drawing for the tray and app icons. The tray
 * renders its icons in memory from here (no asset paths to get wrong in a
 * packaged app); build/make-icons.ts writes the same images to build/ for
 * electron-builder and for looking at.
 */

export type Rgba = readonly [number, number, number, number];

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(buf: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** Encodes straight RGBA pixels (row-major, 4 bytes each) as a PNG. */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  if (rgba.length !== width * height * 4) throw new Error(`expected ${width * height * 4} bytes of RGBA, got ${rgba.length}`);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type RGBA
  ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0; // filter: none
    Buffer.from(rgba.buffer, rgba.byteOffset + y * width * 4, width * 4).copy(raw, y * (width * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Coverage in [0,1] of a pixel by a shape, sampled 4×4 for smooth edges. */
function coverage(px: number, py: number, inside: (x: number, y: number) => boolean): number {
  let hits = 0;
  for (let sy = 0; sy < 4; sy++) for (let sx = 0; sx < 4; sx++) if (inside(px + (sx + 0.5) / 4, py + (sy + 0.5) / 4)) hits++;
  return hits / 16;
}

/** Paints a shape over straight-alpha pixels ("source over"). */
function paint(rgba: Uint8Array, size: number, color: Rgba, inside: (x: number, y: number) => boolean): void {
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const a = coverage(x, y, inside) * (color[3] / 255);
      if (a === 0) continue;
      const i = (y * size + x) * 4;
      const da = rgba[i + 3]! / 255;
      const oa = a + da * (1 - a);
      for (let c = 0; c < 3; c++) {
        const v = (color[c]! * a + rgba[i + c]! * da * (1 - a)) / oa;
        rgba[i + c] = Math.round(v);
      }
      rgba[i + 3] = Math.round(oa * 255);
    }
  }
}

export const TRAY_COLORS: Record<TrayIconName, Rgba> = {
  running: [46, 160, 67, 255],
  starting: [219, 154, 4, 255],
  stopped: [128, 128, 128, 255],
  error: [207, 34, 46, 255],
};

/**
 * A tray icon of size×size pixels: a filled dot for running, a dot with a
 * hollow centre (a "ring") for the transitional state, a ring for stopped and
 * a dot with a white bar for error, so the states differ without colour too.
 */
export function renderTrayIcon(name: TrayIconName, size: number): Buffer {
  const rgba = new Uint8Array(size * size * 4);
  const c = size / 2;
  const r = size * 0.44;
  const color = TRAY_COLORS[name];
  const inCircle = (radius: number) => (x: number, y: number) => (x - c) ** 2 + (y - c) ** 2 <= radius ** 2;
  switch (name) {
    case 'running':
      paint(rgba, size, color, inCircle(r));
      break;
    case 'starting':
      paint(rgba, size, color, (x, y) => inCircle(r)(x, y) && !inCircle(r * 0.55)(x, y));
      paint(rgba, size, color, inCircle(r * 0.25));
      break;
    case 'stopped':
      paint(rgba, size, color, (x, y) => inCircle(r)(x, y) && !inCircle(r * 0.62)(x, y));
      break;
    case 'error':
      paint(rgba, size, color, inCircle(r));
      paint(rgba, size, [255, 255, 255, 255], (x, y) => Math.abs(y - c) <= size * 0.08 && Math.abs(x - c) <= r * 0.6);
      break;
  }
  return encodePng(size, size, rgba);
}

/** The application icon: a rounded blue square with three white "containers" on a deck. */
export function renderAppIcon(size: number): Buffer {
  const rgba = new Uint8Array(size * size * 4);
  const s = size;
  const radius = s * 0.2;
  const inRoundRect = (x0: number, y0: number, x1: number, y1: number, rr: number) => (x: number, y: number) => {
    if (x < x0 || x > x1 || y < y0 || y > y1) return false;
    const cx = Math.min(Math.max(x, x0 + rr), x1 - rr);
    const cy = Math.min(Math.max(y, y0 + rr), y1 - rr);
    return (x - cx) ** 2 + (y - cy) ** 2 <= rr ** 2;
  };
  paint(rgba, s, [29, 99, 237, 255], inRoundRect(s * 0.04, s * 0.04, s * 0.96, s * 0.96, radius));
  const white: Rgba = [255, 255, 255, 255];
  const box = s * 0.17;
  const gap = s * 0.03;
  const left = s * 0.5 - (box * 3 + gap * 2) / 2;
  const top = s * 0.455; // centres the stack (0.255..0.745) vertically
  for (let i = 0; i < 3; i++) {
    const x0 = left + i * (box + gap);
    paint(rgba, s, white, inRoundRect(x0, top, x0 + box, top + box, s * 0.02));
  }
  paint(rgba, s, white, inRoundRect(s * 0.5 - box / 2, top - box - gap, s * 0.5 + box / 2, top - gap, s * 0.02));
  // The deck (a pier): a bar under the containers.
  paint(rgba, s, white, inRoundRect(s * 0.18, top + box + gap * 2, s * 0.82, top + box + gap * 2 + s * 0.06, s * 0.03));
  return encodePng(s, s, rgba);
}
