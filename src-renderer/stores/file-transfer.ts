import type { FileTarget } from '../../src-main/core/contract/index.js';
import { getApi } from '../ipc/index.js';
import { base64ToBytes, bytesToBase64 } from '../util/base64.js';
import { openStream } from './streams.js';

/** Bytes per upload piece: a multiple of 3, so each piece is whole base64 (800 KiB of text, under the 1 MB write limit). */
const PIECE = 600 * 1024;

/** Fetches a file's bytes from a container or volume. */
export function downloadFile(target: FileTarget, path: string): Promise<{ name: string; bytes: Uint8Array }> {
  return new Promise((resolve, reject) => {
    let text = '';
    let name = path.split('/').pop() || 'download';
    openStream(async () => {
      const h = await getApi().files.download(target, path);
      name = h.name;
      return h;
    }, {
      onData(d) { text += d; },
      onEnd(error) {
        if (error) reject(new Error(error));
        else resolve({ name, bytes: base64ToBytes(text) });
      },
    }).catch(reject);
  });
}

/** Hands bytes to the browser (or Electron) as a download. */
export function saveBytes(name: string, bytes: Uint8Array): void {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart]));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

/** Sends a file into `dir` of a container or volume; `onProgress` gets the bytes sent so far. */
export function uploadFile(target: FileTarget, dir: string, file: File, onProgress: (sent: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const done = (err?: Error) => {
      if (settled) return;
      settled = true;
      if (err) reject(err);
      else resolve();
    };
    openStream(() => getApi().files.upload(target, dir, file.name, file.size), {
      onEnd(error) { done(error ? new Error(error) : undefined); },
    }).then(async (stream) => {
      try {
        for (let at = 0; at < file.size; at += PIECE) {
          const piece = new Uint8Array(await file.slice(at, Math.min(file.size, at + PIECE)).arrayBuffer());
          await stream.write(bytesToBase64(piece));
          onProgress(Math.min(file.size, at + PIECE));
        }
      } catch (err) {
        stream.close();
        done(err instanceof Error ? err : new Error(String(err)));
      }
    }, (err: unknown) => done(err instanceof Error ? err : new Error(String(err))));
  });
}
