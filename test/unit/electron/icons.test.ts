import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inflateSync } from 'node:zlib';
import { crc32, encodePng, renderAppIcon, renderTrayIcon, TRAY_COLORS } from '../../../src-main/electron/icons.js';
import { TRAY_ICON_NAMES } from '../../../src-main/electron/tray-menu.js';

/** A minimal PNG reader for 8-bit RGBA, filter 0 (what encodePng writes). */
function decode(png: Buffer): { width: number; height: number; rgba: Buffer } {
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  let off = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  const types: string[] = [];
  while (off < png.length) {
    const len = png.readUInt32BE(off);
    const type = png.toString('latin1', off + 4, off + 8);
    const data = png.subarray(off + 8, off + 8 + len);
    assert.equal(png.readUInt32BE(off + 8 + len), crc32(png.subarray(off + 4, off + 8 + len)), `CRC of ${type}`);
    types.push(type);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      assert.equal(data[8], 8);
      assert.equal(data[9], 6);
    }
    if (type === 'IDAT') idat.push(data);
    off += 12 + len;
  }
  assert.deepEqual(types, ['IHDR', 'IDAT', 'IEND']);
  const raw = inflateSync(Buffer.concat(idat));
  const rgba = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    assert.equal(raw[y * (width * 4 + 1)], 0);
    raw.copy(rgba, y * width * 4, y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1));
  }
  return { width, height, rgba };
}

describe('crc32', () => {
  it('matches the standard check value', () => {
    assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
  });
});

describe('encodePng', () => {
  it('round-trips pixels', () => {
    const px = new Uint8Array([255, 0, 0, 255, 0, 255, 0, 128, 0, 0, 255, 0, 1, 2, 3, 4]);
    const { width, height, rgba } = decode(encodePng(2, 2, px));
    assert.equal(width, 2);
    assert.equal(height, 2);
    assert.deepEqual([...rgba], [...px]);
  });

  it('refuses a buffer of the wrong size', () => {
    assert.throws(() => encodePng(2, 2, new Uint8Array(3)), /expected 16 bytes/);
  });
});

describe('renderTrayIcon', () => {
  for (const name of TRAY_ICON_NAMES) {
    it(`draws ${name} at 16 and 32 px, small and in its colour`, () => {
      for (const size of [16, 32]) {
        const png = renderTrayIcon(name, size);
        assert.ok(png.length < 2048, `${name}@${size} is ${png.length} bytes`);
        const { width, height, rgba } = decode(png);
        assert.equal(width, size);
        assert.equal(height, size);
        assert.equal(rgba[3], 0, 'corners are transparent');
        // A pixel on the ring (left edge, mid-height) has the state's colour.
        const x = Math.floor(size * 0.1);
        const y = Math.floor(size / 2);
        const i = (y * size + x) * 4;
        assert.deepEqual([...rgba.subarray(i, i + 3)], [...TRAY_COLORS[name].slice(0, 3)]);
        assert.equal(rgba[i + 3], 255);
      }
    });
  }

  it('draws the states differently', () => {
    const images = new Set(TRAY_ICON_NAMES.map((n) => renderTrayIcon(n, 16).toString('base64')));
    assert.equal(images.size, TRAY_ICON_NAMES.length);
  });
});

describe('renderAppIcon', () => {
  it('draws a square icon', () => {
    const { width, height } = decode(renderAppIcon(64));
    assert.equal(width, 64);
    assert.equal(height, 64);
  });
});
