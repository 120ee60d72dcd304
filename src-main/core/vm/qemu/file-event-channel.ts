import net from 'node:net';
import type { FileEventSink } from '../file-events.js';

/** Name of the virtserialport the guest's share-events service reads (vm-assets/README.md). */
export const FILE_EVENTS_PORT = 'wharf.events';

/** One line per change: `<octal mode> <absolute path>`. */
export function fileEventLine(file: string, mode: number): string {
  return `${(mode & 0o7777).toString(8).padStart(4, '0')} ${file}\n`;
}

/**
 * The host end of the wharf.events virtio-serial port (a unix socket QEMU
 * serves). Connects on first use and again after QEMU drops it; a change that
 * finds no VM to tell is dropped, as there is no watcher left to miss it.
 */
export class FileEventChannel implements FileEventSink {
  private socket?: net.Socket;
  private connecting = false;
  private queue: string[] = [];
  private closed = false;

  constructor(private readonly socketPath: string, private readonly log: (line: string) => void = () => undefined) {}

  /** Connects now: until a host is connected the guest's reader sees end-of-file and polls. */
  open(): void {
    this.drain();
  }

  changed(file: string, mode: number): void {
    this.queue.push(fileEventLine(file, mode));
    if (this.queue.length > 10_000) this.queue.splice(0, this.queue.length - 10_000);
    this.drain();
  }

  private drain(): void {
    if (this.socket && !this.connecting) {
      const lines = this.queue.join('');
      this.queue = [];
      if (lines) this.socket.write(lines);
      return;
    }
    if (this.connecting || this.closed) return;
    this.connecting = true;
    const s = net.connect(this.socketPath);
    s.on('connect', () => {
      this.connecting = false;
      if (this.closed) { s.destroy(); return; }
      this.socket = s;
      this.drain();
    });
    s.on('error', (err) => { this.log(`[file-events] channel: ${err.message}`); });
    s.on('close', () => {
      if (this.socket === s) this.socket = undefined;
      else this.queue = [];
      this.connecting = false;
    });
    // The guest never answers; reading keeps the socket from filling QEMU's buffer.
    s.on('data', () => undefined);
  }

  close(): void {
    this.closed = true;
    this.socket?.destroy();
    this.socket = undefined;
    this.queue = [];
  }
}
