import { promisify } from 'node:util';
import zlib from 'node:zlib';

/**
 * A minimal ustar writer (regular files only), so collecting diagnostics
 * needs neither a tar binary (absent on stock Windows 10) nor a dependency.
 * Names longer than ustar's 100 bytes get a PAX "path" record, which every
 * tar since the 2000s reads.
 */

export interface TarEntry {
  name: string;
  data: Buffer;
  mode?: number;
  mtime?: Date;
}

const BLOCK = 512;
const gzip = promisify(zlib.gzip);

function octal(value: number, width: number): string {
  // width includes the terminating NUL.
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

function header(name: string, size: number, mode: number, mtime: Date, type: '0' | 'x' | '5' | '2', linkname = ''): Buffer {
  const buf = Buffer.alloc(BLOCK);
  buf.write(name, 0, 100, 'utf8');
  buf.write(octal(mode, 8), 100, 'ascii');
  buf.write(octal(0, 8), 108, 'ascii');
  buf.write(octal(0, 8), 116, 'ascii');
  buf.write(octal(size, 12), 124, 'ascii');
  buf.write(octal(Math.floor(mtime.getTime() / 1000), 12), 136, 'ascii');
  buf.write('        ', 148, 'ascii'); // checksum is computed with spaces here
  buf.write(type, 156, 'ascii');
  if (linkname) buf.write(linkname, 157, 100, 'utf8');
  buf.write('ustar\0', 257, 'ascii');
  buf.write('00', 263, 'ascii');
  buf.write('wharf', 265, 'ascii');
  buf.write('wharf', 297, 'ascii');
  let sum = 0;
  for (const byte of buf) sum += byte;
  buf.write(octal(sum, 7) + ' ', 148, 'ascii');
  return buf;
}

function padding(size: number): Buffer {
  const rest = size % BLOCK;
  return Buffer.alloc(rest === 0 ? 0 : BLOCK - rest);
}

/** One PAX record: "<len> path=<name>\n", where <len> counts itself. */
function paxRecord(key: string, value: string): Buffer {
  const body = ` ${key}=${value}\n`;
  let len = Buffer.byteLength(body) + 1;
  while (String(len).length + Buffer.byteLength(body) !== len) len = String(len).length + Buffer.byteLength(body);
  return Buffer.from(`${len}${body}`, 'utf8');
}

/** The header blocks of one regular file (a PAX record first for long names); the body and tarPadding follow. */
export function tarFileHead(name: string, size: number, mode = 0o644, mtime = new Date(), type: '0' | '5' | '2' = '0', linkname = ''): Buffer {
  const parts: Buffer[] = [];
  const records: Buffer[] = [];
  if (Buffer.byteLength(name) > 100) records.push(paxRecord('path', name));
  if (Buffer.byteLength(linkname) > 100) records.push(paxRecord('linkpath', linkname));
  if (records.length) {
    const pax = Buffer.concat(records);
    parts.push(header('PaxHeader/' + name.slice(-80), pax.length, 0o644, mtime, 'x'), pax, padding(pax.length));
    name = name.slice(0, 100);
  }
  parts.push(header(name, size, mode, mtime, type, linkname.slice(0, 100)));
  return Buffer.concat(parts);
}

/** Zero bytes that round a body of `size` up to the block size. */
export const tarPadding = padding;
/** The end-of-archive marker. */
export const TAR_END = Buffer.alloc(BLOCK * 2);

export function tarBuffer(entries: readonly TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    parts.push(tarFileHead(entry.name, entry.data.length, entry.mode ?? 0o644, entry.mtime ?? new Date()), entry.data, padding(entry.data.length));
  }
  parts.push(TAR_END);
  return Buffer.concat(parts);
}

export async function tarGz(entries: readonly TarEntry[]): Promise<Buffer> {
  return gzip(tarBuffer(entries));
}
