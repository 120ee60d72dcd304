import type { Duplex } from 'node:stream';
import type { StreamRegistry, OpenStream } from '../util/streams.js';

/**
 * Bridges a connected guest console (a socket, or a child's stdio) to a
 * client stream, with back-pressure both ways. Every backend's shell ends here.
 */
export function shellStream(conn: Duplex, streams: StreamRegistry): OpenStream {
  const stream = streams.open({
    kind: 'vm-shell',
    write: (data) => { conn.write(data); },
    dispose: () => conn.destroy(),
  });
  conn.setEncoding('utf8');
  conn.on('data', (d: string) => { if (!stream.push(d)) conn.pause(); stream.onDrain(() => conn.resume()); });
  conn.on('close', () => stream.end());
  conn.on('error', (err) => stream.end(err.message));
  return stream;
}
