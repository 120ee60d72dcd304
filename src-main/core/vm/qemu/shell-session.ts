import net from 'node:net';
import type { StreamRegistry, OpenStream } from '../../util/streams.js';
import { UserError } from '../../errors.js';
import { shellStream } from '../shell-stream.js';

/**
 * A root shell in the VM: the guest respawns a shell on its virtio console,
 * which QEMU exposes as shell.sock. One client at a time, like a real console.
 */
export async function openVmShell(shellSocket: string, streams: StreamRegistry): Promise<OpenStream> {
  const socket = await new Promise<net.Socket>((resolve, reject) => {
    const s = net.createConnection(shellSocket);
    s.once('connect', () => resolve(s));
    s.once('error', (err) => reject(new UserError(`Cannot reach the VM shell (${err.message}). Is Wharf running? Try \`wharf status\`.`, 'vm-stopped')));
  });
  const stream = shellStream(socket, streams);
  // Wake the console so the prompt shows up.
  socket.write('\n');
  return stream;
}
