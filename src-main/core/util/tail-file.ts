import fs from 'node:fs/promises';

/** The last `lines` lines of a text file; empty when it does not exist. Reads at most 4 MiB. */
export async function tailFile(file: string, lines: number): Promise<string[]> {
  let fh: fs.FileHandle;
  try {
    fh = await fs.open(file, 'r');
  } catch {
    return [];
  }
  try {
    const { size } = await fh.stat();
    const length = Math.min(size, 4 * 1024 * 1024);
    const buf = Buffer.alloc(length);
    await fh.read(buf, 0, length, size - length);
    return buf.toString('utf8').split(/\r?\n/).filter((l) => l !== '').slice(-lines);
  } finally {
    await fh.close();
  }
}
