import { randomBytes } from 'node:crypto';
import type { Duplex, Readable } from 'node:stream';
import type Docker from 'dockerode';
import type { StreamHandle } from '../contract/types.js';
import { errorMessage } from '../errors.js';
import { feedText, pipeReadable, type StreamRegistry } from '../util/streams.js';
import { DockerStreamDemuxer, demuxAll } from './demux.js';
import { toUserError } from './errors.js';
import { hangUpExec, markerEnv } from './exec-hangup.js';
import { displayRef } from './names.js';

export interface LogOptions {
  follow: boolean;
  timestamps: boolean;
  tail: number;
}

/**
 * A container's logs as a registry stream. stdout and stderr arrive
 * interleaved in engine order; a TTY container's log is already one raw stream.
 */
export async function openLogs(docker: Docker, streams: StreamRegistry, ref: string, o: LogOptions): Promise<StreamHandle> {
  const container = docker.getContainer(ref);
  let tty: boolean;
  try {
    tty = Boolean((await container.inspect()).Config?.Tty);
  } catch (err) {
    throw toUserError(err, { kind: 'container', ref: await displayRef(docker, ref) });
  }
  const query = { stdout: true, stderr: true, timestamps: o.timestamps, tail: o.tail };

  if (!o.follow) {
    let body: unknown;
    try {
      body = await container.logs({ ...query, follow: false });
    } catch (err) {
      throw toUserError(err, { kind: 'container', ref: await displayRef(docker, ref) });
    }
    const buf = Buffer.isBuffer(body) ? body : Buffer.from(String(body ?? ''));
    const stream = streams.open({ kind: 'logs' });
    void feedText(stream, tty ? buf.toString('utf8') : demuxAll(buf));
    return { streamId: stream.id };
  }

  const ac = new AbortController();
  let source: Readable;
  try {
    source = (await container.logs({ ...query, follow: true, abortSignal: ac.signal })) as unknown as Readable;
  } catch (err) {
    throw toUserError(err, { kind: 'container', ref: await displayRef(docker, ref) });
  }
  const stream = streams.open({
    kind: 'logs',
    dispose: () => { ac.abort(); source.destroy(); },
  });
  if (tty) {
    pipeReadable(stream, source);
  } else {
    const demux = new DockerStreamDemuxer((text) => {
      if (!stream.push(text)) {
        source.pause();
        stream.onDrain(() => source.resume());
      }
    });
    source.on('data', (chunk: Buffer) => demux.write(chunk));
    source.once('end', () => { demux.end(); stream.end(); });
    source.once('error', (err) => stream.end(errorMessage(err)));
    source.once('close', () => stream.end());
  }
  return { streamId: stream.id };
}

/**
 * An interactive TTY exec (a shell by default). Keystrokes go in with
 * streams.write, the size with streams.resize; the stream ends when the
 * process exits, and closing the stream hangs up on the process (see
 * exec-hangup.ts: the engine itself would leave it running).
 */
export async function openExec(docker: Docker, streams: StreamRegistry, ref: string, cmd: string[]): Promise<StreamHandle> {
  const container = docker.getContainer(ref);
  const marker = randomBytes(9).toString('base64url');
  let exec: Docker.Exec;
  let socket: Duplex;
  try {
    exec = await container.exec({
      Cmd: cmd,
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      Tty: true,
      Env: ['TERM=xterm-256color', markerEnv(marker)],
    });
    // ConsoleSize (API ≥ 1.42) gives the shell a sane size before the first resize.
    const startOpts = { hijack: true, stdin: true, Tty: true, ConsoleSize: [24, 80] } as Docker.ExecStartOptions;
    socket = (await exec.start(startOpts)) as unknown as Duplex;
  } catch (err) {
    throw toUserError(err, { kind: 'container', ref: await displayRef(docker, ref) });
  }
  const stream = streams.open({
    kind: 'exec',
    write: (data) => new Promise<void>((resolve, reject) => {
      if (socket.destroyed || socket.writableEnded) { reject(new Error('the process has exited')); return; }
      socket.write(data, (err) => (err ? reject(err) : resolve()));
    }),
    resize: async (cols, rows) => {
      try {
        await exec.resize({ h: rows, w: cols });
      } catch (err) {
        throw toUserError(err, { kind: 'container', ref: await displayRef(docker, ref) });
      }
    },
    dispose: () => {
      const exited = socket.readableEnded;
      socket.end();
      socket.destroy();
      if (!exited) void hangUpExec(container, exec, marker);
    },
  });
  socket.on('error', () => { /* reported through 'close' → stream end */ });
  pipeReadable(stream, socket);
  return { streamId: stream.id };
}
