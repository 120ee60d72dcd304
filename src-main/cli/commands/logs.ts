import type { ControlClient } from '../../core/transports/control-client.js';
import { typedClient } from '../connect.js';

export async function logs(conn: ControlClient, opts: { follow: boolean; lines: number }, out: NodeJS.WritableStream): Promise<void> {
  const api = typedClient(conn);
  for (const line of await api.engine.logs({ lines: opts.lines })) out.write(line + '\n');
  if (!opts.follow) return;
  const { streamId } = await api.engine.followLogs();
  await new Promise<void>((resolve) => {
    conn.listen((e) => {
      const p = e.payload as { streamId?: string; data?: string };
      if (p.streamId !== streamId) return;
      if (e.name === 'stream.data') out.write(p.data ?? '');
      if (e.name === 'stream.end') resolve();
    });
    conn.onClose(resolve);
    process.once('SIGINT', () => resolve());
  });
}
