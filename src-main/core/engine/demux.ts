import { StringDecoder } from 'node:string_decoder';

/**
 * Docker multiplexes stdout and stderr of a non-TTY container on one byte
 * stream: each frame is an 8-byte header [stream, 0, 0, 0, size(4, BE)]
 * followed by `size` bytes. This decoder is incremental: it accepts chunks cut
 * anywhere and passes payload through as it arrives, so a huge frame is never
 * buffered whole. Output is decoded as UTF-8 per channel.
 */
export type DockerChannel = 'stdout' | 'stderr';

export class DockerStreamDemuxer {
  private header = Buffer.alloc(8);
  private headerFill = 0;
  private remaining = 0;
  private channel: DockerChannel = 'stdout';
  private decoders: Record<DockerChannel, StringDecoder> = {
    stdout: new StringDecoder('utf8'),
    stderr: new StringDecoder('utf8'),
  };

  constructor(private readonly onText: (text: string, channel: DockerChannel) => void) {}

  write(chunk: Buffer): void {
    let off = 0;
    while (off < chunk.length) {
      if (this.remaining === 0) {
        const take = Math.min(8 - this.headerFill, chunk.length - off);
        chunk.copy(this.header, this.headerFill, off, off + take);
        this.headerFill += take;
        off += take;
        if (this.headerFill < 8) return;
        this.headerFill = 0;
        // 0 = stdin (written back for TTY-less attach), 1 = stdout, 2 = stderr.
        this.channel = this.header[0] === 2 ? 'stderr' : 'stdout';
        this.remaining = this.header.readUInt32BE(4);
        continue;
      }
      const take = Math.min(this.remaining, chunk.length - off);
      const text = this.decoders[this.channel].write(chunk.subarray(off, off + take));
      if (text) this.onText(text, this.channel);
      this.remaining -= take;
      off += take;
    }
  }

  end(): void {
    for (const channel of ['stdout', 'stderr'] as const) {
      const rest = this.decoders[channel].end();
      if (rest) this.onText(rest, channel);
    }
  }
}

/** Demuxes a whole buffer (a non-follow logs response) into text. */
export function demuxAll(buf: Buffer): string {
  let out = '';
  const d = new DockerStreamDemuxer((t) => { out += t; });
  d.write(buf);
  d.end();
  return out;
}
