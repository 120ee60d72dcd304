import fs from 'node:fs/promises';
import { createReadStream, createWriteStream } from 'node:fs';
import path from 'node:path';
import { PassThrough, Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type Docker from 'dockerode';
import type { ServiceImpl } from '../contract/define.js';
import type { DirListing, FileEntry, FileTarget, TransferProgress } from '../contract/daily-types.js';
import type { Contract } from '../contract/services.js';
import { UserError, errorMessage } from '../errors.js';
import { TAR_END, tarFileHead, tarPadding } from '../util/tar.js';
import { TarReader, type TarHeader } from '../util/tar-read.js';
import type { EngineDeps } from './deps.js';
import { dockerStatus, engineMessage, toUserError } from './errors.js';
import { MOUNT, volumeHelper } from './volume-helper.js';

export type FilesService = ServiceImpl<Contract['files']>;

/** Listing reads a directory's whole tree from the archive API; stop after this much. */
const LIST_MAX_BYTES = 256 * 1024 * 1024;
const LIST_MAX_MS = 30_000;
const DOWNLOAD_MAX_BYTES = 512 * 1024 * 1024;
const PROGRESS_MS = 200;

/** Go's os.FileMode bits in the engine's X-Docker-Container-Path-Stat header. */
const GO_DIR = 2 ** 31;
const GO_SYMLINK = 2 ** 27;

interface PathStat { name: string; size: number; mode: number; mtime: string; linkTarget: string }

function typeOf(h: TarHeader): FileEntry['type'] {
  if (h.type === '5') return 'dir';
  if (h.type === '2') return 'symlink';
  if (h.type === '0' || h.type === '7' || h.type === '1') return 'file';
  return 'other';
}

/** The direct children of the archive's top directory, from its headers (names are './child/…'). */
export function childrenOf(headers: readonly TarHeader[]): FileEntry[] {
  const out = new Map<string, FileEntry>();
  for (const h of headers) {
    const name = h.name.replace(/^\.?\/+/, '').replace(/\/+$/, '');
    if (!name || name === '.' || name.includes('/')) continue;
    const e: FileEntry = { name, type: typeOf(h), size: h.type === '5' ? 0 : h.size, mode: h.mode & 0o7777, mtime: h.mtime };
    if (h.type === '2' && h.linkname) e.linkTarget = h.linkname;
    out.set(name, e);
  }
  return [...out.values()].sort((a, b) => Number(b.type === 'dir') - Number(a.type === 'dir') || a.name.localeCompare(b.name));
}

function join(base: string, p: string): string {
  return path.posix.join(base, path.posix.normalize(p));
}

export function createFilesService({ docker, bus, streams }: EngineDeps): FilesService {
  const withVolume = volumeHelper(docker);

  /**
   * Runs `work` against the container behind a target. For a volume the helper
   * container lives until `done` settles, so streams can outlive the call.
   */
  const on = <T>(target: FileTarget, work: (c: Docker.Container, base: string) => { ready: Promise<T>; done?: Promise<unknown> }, create = false): Promise<T> => {
    if (target.kind === 'container') return work(docker.getContainer(target.id), '/').ready;
    return new Promise<T>((resolve, reject) => {
      withVolume(target.name, async (c) => {
        const w = work(c, MOUNT);
        w.ready.then(resolve, reject);
        await w.ready.catch(() => undefined);
        await w.done?.catch(() => undefined);
      }, { create }).catch(reject);
    });
  };

  const fail = (err: unknown, target: FileTarget, p: string): Error => {
    if (err instanceof UserError) return err;
    if (dockerStatus(err) === 404) {
      const msg = engineMessage(err);
      // "No such container:path: <id>:/x" and "Could not find the file /x" mean the path, not the container.
      if (/no such container(?!:path)/i.test(msg) && !/could not find the file/i.test(msg)) return new UserError(`Container '${target.kind === 'container' ? target.id : target.name}' not found.`, 'not-found');
      return new UserError(`${p} does not exist in ${target.kind === 'container' ? 'the container' : `volume ${target.name}`}.`, 'not-found');
    }
    return toUserError(err, target.kind === 'container' ? { kind: 'container', ref: target.id } : { kind: 'volume', ref: target.name });
  };

  const stat = async (c: Docker.Container, p: string): Promise<PathStat> => {
    const res = (await c.infoArchive({ path: p })) as unknown as { headers?: Record<string, string> } | undefined;
    const raw = res?.headers?.['x-docker-container-path-stat'];
    if (!raw) throw new UserError(`The engine did not describe ${p}.`, 'engine');
    return JSON.parse(Buffer.from(raw, 'base64').toString('utf8')) as PathStat;
  };

  const transfer = (kind: string, what: TransferProgress['what'], total: number | undefined) => {
    const stream = streams.open({ kind });
    let bytes = 0;
    let timer: NodeJS.Timeout | undefined;
    const progress = (done: boolean, error?: string): TransferProgress => ({ what, bytes, ...(total !== undefined ? { total } : {}), done, ...(error ? { error } : {}) });
    const emit = (done = false, error?: string) => {
      if (timer) clearTimeout(timer);
      timer = undefined;
      bus.emit('job.progress', { streamId: stream.id, progress: { kind: 'transfer', transfer: progress(done, error) } });
    };
    return {
      stream,
      add(n: number) {
        bytes += n;
        if (!timer) timer = setTimeout(() => emit(), PROGRESS_MS);
      },
      finish(error?: string) {
        if (stream.closed) { if (timer) clearTimeout(timer); return; }
        emit(true, error);
        stream.end(error);
      },
      get bytes() { return bytes; },
    };
  };

  const counter = (add: (n: number) => void) => new Transform({
    transform(chunk: Buffer, _enc, cb) { add(chunk.length); cb(null, chunk); },
  });

  return {
    list(target, dir) {
      return on(target, (c, base) => ({
        ready: (async (): Promise<DirListing> => {
          const p = join(base, dir);
          try {
            const st = await stat(c, `${p}/.`).catch(async (err: unknown) => {
              // A file, not a directory: say so instead of "does not exist".
              const s = await stat(c, p).catch(() => undefined);
              if (s && !(s.mode & GO_DIR)) throw new UserError(`${dir} is a file, not a folder.`, 'invalid');
              throw err;
            });
            if (!(st.mode & GO_DIR)) throw new UserError(`${dir} is not a folder.`, 'invalid');
            const ac = new AbortController();
            const source = (await c.getArchive({ path: `${p}/.`, abortSignal: ac.signal } as object)) as unknown as Readable;
            const headers: TarHeader[] = [];
            let read = 0;
            let truncated = false;
            const started = Date.now();
            await new Promise<void>((resolve, reject) => {
              const reader = new TarReader({ onEntry: (h) => { headers.push(h); } });
              source.on('data', (chunk: Buffer) => {
                read += chunk.length;
                reader.write(chunk);
                if (reader.ended) { source.destroy(); resolve(); return; }
                if (read > LIST_MAX_BYTES || Date.now() - started > LIST_MAX_MS) {
                  truncated = true;
                  ac.abort();
                  source.destroy();
                  resolve();
                }
              });
              source.once('end', () => resolve());
              source.once('close', () => resolve());
              source.once('error', (err) => (truncated || reader.ended ? resolve() : reject(err)));
            });
            return { path: dir, entries: childrenOf(headers), truncated };
          } catch (err) {
            throw fail(err, target, dir);
          }
        })(),
      }));
    },

    download(target, file) {
      let finished: () => void = () => undefined;
      const done = new Promise<void>((r) => { finished = r; });
      return on(target, (c, base) => ({
        done,
        ready: (async () => {
          const p = join(base, file);
          try {
            const st = await stat(c, p);
            if (st.mode & GO_DIR) throw new UserError(`${file} is a folder; download files one at a time.`, 'invalid');
            if (st.mode & GO_SYMLINK) throw new UserError(`${file} is a symbolic link to ${st.linkTarget}; download its target instead.`, 'invalid');
            if (st.size > DOWNLOAD_MAX_BYTES) throw new UserError(`${file} is ${Math.round(st.size / 2 ** 20)} MiB; downloads through the window stop at ${DOWNLOAD_MAX_BYTES / 2 ** 20} MiB. Use \`docker cp\` for it.`, 'too-large');
            const ac = new AbortController();
            const source = (await c.getArchive({ path: p, abortSignal: ac.signal } as object)) as unknown as Readable;
            const stream = streams.open({ kind: 'download', dispose: () => { ac.abort(); source.destroy(); finished(); } });
            let carry = Buffer.alloc(0);
            const reader = new TarReader({
              onEntry: () => undefined,
              onData: (_h, chunk) => {
                // Whole 3-byte groups only, so the base64 pieces concatenate into valid base64.
                const all = carry.length ? Buffer.concat([carry, chunk]) : chunk;
                const cut = all.length - (all.length % 3);
                carry = Buffer.from(all.subarray(cut));
                if (cut > 0 && !stream.push(all.subarray(0, cut).toString('base64'))) {
                  source.pause();
                  stream.onDrain(() => source.resume());
                }
              },
            });
            source.on('data', (chunk: Buffer) => reader.write(chunk));
            source.once('end', () => {
              if (carry.length) stream.push(carry.toString('base64'));
              stream.end();
              finished();
            });
            source.once('error', (err) => { stream.end(`Download interrupted: ${errorMessage(err)}`); finished(); });
            return { streamId: stream.id, name: path.posix.basename(file), size: st.size };
          } catch (err) {
            finished();
            throw fail(err, target, file);
          }
        })(),
      }));
    },

    upload(target, dir, name, size) {
      let finished: () => void = () => undefined;
      const done = new Promise<void>((r) => { finished = r; });
      return on(target, (c, base) => ({
        done,
        ready: (async () => {
          const p = join(base, dir);
          try {
            const st = await stat(c, `${p}/.`).catch((err: unknown) => { throw fail(err, target, dir); });
            if (!(st.mode & GO_DIR)) throw new UserError(`${dir} is not a folder.`, 'invalid');
          } catch (err) {
            finished();
            throw err;
          }
          const body = new PassThrough();
          const ac = new AbortController();
          body.write(tarFileHead(name, size, 0o644, new Date()));
          let received = 0;
          let closedEarly = true;
          const stream = streams.open({
            kind: 'upload',
            write: async (b64) => {
              const bytes = Buffer.from(b64, 'base64');
              if (received + bytes.length > size) throw new UserError(`More than the announced ${size} bytes arrived for ${name}.`, 'invalid');
              received += bytes.length;
              if (!body.write(bytes)) await new Promise<void>((r) => body.once('drain', r));
              if (received === size) complete();
            },
            dispose: () => { if (closedEarly) { ac.abort(); body.destroy(); } finished(); },
          });
          const put = c.putArchive(body as unknown as NodeJS.ReadableStream, { path: p, abortSignal: ac.signal } as object);
          put.catch(() => undefined);
          const complete = () => {
            closedEarly = false;
            body.end(Buffer.concat([tarPadding(size), TAR_END]));
            put.then(() => {
              if (target.kind === 'volume') bus.emit('invalidate', { topic: 'volumes' });
              stream.end();
            }, (err: unknown) => stream.end(fail(err, target, dir).message));
          };
          if (size === 0) setImmediate(complete);
          return { streamId: stream.id };
        })(),
      }));
    },

    async exportVolume(volume, hostPath) {
      const parent = path.dirname(hostPath);
      if (!(await fs.stat(parent).catch(() => undefined))?.isDirectory()) {
        throw new UserError(`The folder ${parent} does not exist; choose where to save the export.`, 'invalid');
      }
      if (await fs.stat(hostPath).then(() => true, () => false)) {
        throw new UserError(`${hostPath} already exists; choose another file name, or delete it first.`, 'exists');
      }
      const total = await docker.df().then(
        (df: { Volumes?: Array<{ Name: string; UsageData?: { Size?: number } }> }) => df.Volumes?.find((v) => v.Name === volume)?.UsageData?.Size,
        () => undefined,
      );
      let finished: () => void = () => undefined;
      const done = new Promise<void>((r) => { finished = r; });
      return on({ kind: 'volume', name: volume }, (c) => ({
        done,
        ready: (async () => {
          let source: Readable;
          try {
            source = (await c.getArchive({ path: `${MOUNT}/.` })) as unknown as Readable;
          } catch (err) {
            finished();
            throw fail(err, { kind: 'volume', name: volume }, '/');
          }
          const t = transfer('export', 'export', total !== undefined && total >= 0 ? total : undefined);
          const out = createWriteStream(hostPath, { flags: 'wx', mode: 0o600 });
          pipeline(source, counter((n) => t.add(n)), out).then(
            () => t.finish(),
            async (err: unknown) => {
              await fs.rm(hostPath, { force: true });
              t.finish(`Export failed: ${errorMessage(err)}`);
            },
          ).finally(finished);
          return { streamId: t.stream.id };
        })(),
      }));
    },

    async importVolume(volume, hostPath) {
      const st = await fs.stat(hostPath).catch(() => undefined);
      if (!st?.isFile()) throw new UserError(`${hostPath} is not a file on this computer; choose a .tar exported from a volume.`, 'invalid');
      const fh = await fs.open(hostPath, 'r');
      const head = Buffer.alloc(512);
      await fh.read(head, 0, 512, 0).finally(() => fh.close());
      const gz = head[0] === 0x1f && head[1] === 0x8b;
      if (!gz && head.toString('ascii', 257, 262) !== 'ustar') {
        throw new UserError(`${path.basename(hostPath)} is not a tar archive (plain or gzip); export a volume first, or make one with \`tar -cf\`.`, 'invalid');
      }
      const created = !(await docker.getVolume(volume).inspect().then(() => true, () => false));
      if (created) await docker.createVolume({ Name: volume }).catch((err: unknown) => { throw toUserError(err, { kind: 'volume', ref: volume }); });
      let finished: () => void = () => undefined;
      const done = new Promise<void>((r) => { finished = r; });
      return on({ kind: 'volume', name: volume }, (c) => ({
        done,
        ready: (async () => {
          const t = transfer('import', 'import', st.size);
          const body = createReadStream(hostPath).pipe(counter((n) => t.add(n)));
          c.putArchive(body as unknown as NodeJS.ReadableStream, { path: MOUNT }).then(
            () => { bus.emit('invalidate', { topic: 'volumes' }); t.finish(); },
            (err: unknown) => t.finish(`Import failed: ${fail(err, { kind: 'volume', name: volume }, '/').message}`),
          ).finally(finished);
          return { streamId: t.stream.id };
        })(),
      }), true);
    },
  };
}
