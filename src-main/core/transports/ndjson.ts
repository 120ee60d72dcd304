import type { Socket } from 'node:net';

/** Splits a socket's input into JSON lines; a bad line is reported, not fatal. */
export function onJsonLines(socket: Socket, onMessage: (msg: unknown) => void, onBadLine: (line: string, err: Error) => void, maxLine = 4 * 1024 * 1024): void {
  let buffer = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    if (buffer.length > maxLine && buffer.indexOf('\n') < 0) {
      onBadLine(buffer.slice(0, 80), new Error(`message longer than ${maxLine} bytes`));
      socket.destroy();
      return;
    }
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (!line.trim()) continue;
      try {
        onMessage(JSON.parse(line));
      } catch (err) {
        onBadLine(line, err as Error);
      }
    }
  });
}
