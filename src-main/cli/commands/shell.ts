import type { ControlClient } from '../../core/transports/control-client.js';
import { typedClient } from '../connect.js';

/**
 * `wharf shell`: interactive when stdin is a terminal; with -c it runs one
 * command, prints its output and exits with its status (handy in scripts).
 */
export async function shell(conn: ControlClient, command: string | undefined): Promise<number> {
  const api = typedClient(conn);
  const { streamId } = await api.vm.shell();
  if (command !== undefined) return runOne(conn, api, streamId, command);
  const stdin = process.stdin;
  if (stdin.isTTY) stdin.setRawMode(true);
  process.stderr.write('Connected to the Wharf VM. Type `exit` or press Ctrl-] to leave.\r\n');
  return new Promise<number>((resolve) => {
    const finish = (code: number) => {
      if (stdin.isTTY) stdin.setRawMode(false);
      stdin.pause();
      void api.streams.close(streamId).catch(() => undefined);
      resolve(code);
    };
    conn.listen((e) => {
      const p = e.payload as { streamId?: string; data?: string };
      if (p.streamId !== streamId) return;
      if (e.name === 'stream.data') process.stdout.write(p.data ?? '');
      if (e.name === 'stream.end') finish(0);
    });
    stdin.on('data', (d: Buffer) => {
      if (d.includes(0x1d)) return finish(0);
      void api.streams.write(streamId, d.toString('utf8'));
    });
    stdin.on('end', () => setTimeout(() => finish(0), 500));
    if (process.stdout.isTTY) void api.streams.resize(streamId, process.stdout.columns, process.stdout.rows).catch(() => undefined);
  });
}

async function runOne(conn: ControlClient, api: ReturnType<typeof typedClient>, streamId: string, command: string): Promise<number> {
  const marker = `__WHARF_DONE_${Math.random().toString(36).slice(2)}__`;
  let buffer = '';
  return new Promise<number>((resolve) => {
    const timer = setTimeout(() => { process.stderr.write('wharf shell: no answer from the VM within 60 s\n'); resolve(1); }, 60_000);
    conn.listen((e) => {
      const p = e.payload as { streamId?: string; data?: string };
      if (p.streamId !== streamId || e.name !== 'stream.data') return;
      buffer += (p.data ?? '').replace(/\r/g, '');
      const begin = buffer.indexOf(`${marker}B\n`);
      const end = new RegExp(`${marker}E(\\d+)\\n`).exec(buffer);
      if (begin >= 0 && end) {
        clearTimeout(timer);
        process.stdout.write(buffer.slice(begin + marker.length + 2, end.index));
        void api.streams.close(streamId).catch(() => undefined);
        resolve(Number(end[1]));
      }
    });
    // stty -echo keeps our own input out of the output we parse.
    void api.streams.write(streamId, `stty -echo 2>/dev/null; echo ${marker}B; ${command}; echo ${marker}E$?\n`);
  });
}
