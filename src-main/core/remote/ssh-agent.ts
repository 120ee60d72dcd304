import http from 'node:http';
import { spawn } from 'node:child_process';
import { Duplex } from 'node:stream';

/**
 * ssh:// engines the way the docker CLI reaches them: one `ssh … docker system
 * dial-stdio` per connection, speaking the engine API over ssh's stdin and
 * stdout. The user's ssh config, keys and agent apply; BatchMode means a
 * missing key fails at once instead of waiting for a password prompt no one sees.
 */
export function sshArgs(url: string): string[] {
  const u = new URL(url);
  if (u.protocol !== 'ssh:' || !u.hostname) throw new Error(`not an ssh:// URL: ${url}`);
  const args = ['-o', 'BatchMode=yes', '-o', 'ConnectTimeout=10'];
  if (u.port) args.push('-p', u.port);
  if (u.username) args.push('-l', decodeURIComponent(u.username));
  // "--" so a host name can never be read as an ssh option.
  args.push('--', u.hostname, 'docker', 'system', 'dial-stdio');
  return args;
}

class SshStream extends Duplex {
  private stderr = '';

  constructor(private readonly child: ReturnType<typeof spawn>) {
    super();
    child.stdout!.on('data', (d: Buffer) => { if (!this.push(d)) child.stdout!.pause(); });
    child.stderr!.on('data', (d: Buffer) => { this.stderr = (this.stderr + d.toString()).slice(-2000); });
    child.on('error', (err) => this.destroy(err));
    // A write after ssh stopped reading fails with EPIPE; ssh's exit, below, reports why.
    child.stdin!.on('error', () => undefined);
    // The end of the stream waits for ssh's exit, so a failure reaches the caller
    // as ssh's own words ("Permission denied (publickey)") rather than "socket hang up".
    child.on('close', (code) => {
      if (code) this.destroy(Object.assign(new Error(this.stderr.trim() || `ssh exited with code ${code}`), { code: 'ESSH', sshExit: code }));
      else this.push(null);
    });
  }

  override _read(): void {
    this.child.stdout!.resume();
  }

  // Write errors are not the caller's error: a broken pipe means ssh stopped reading, and
  // its exit follows with its own words ("Connection refused"), which the close handler reports.
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.child.stdin!.write(chunk, () => cb());
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.child.stdin!.end(() => cb());
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    if (this.child.exitCode === null) this.child.kill();
    cb(err);
  }

  // http.ClientRequest calls these on sockets; a pipe has nothing to tune.
  setNoDelay(): this { return this; }
  setKeepAlive(): this { return this; }
  setTimeout(): this { return this; }
  ref(): this { return this; }
  unref(): this { return this; }
}

export class SshAgent extends http.Agent {
  constructor(private readonly url: string, private readonly sshBinary = 'ssh') {
    super({ keepAlive: false });
  }

  override createConnection(): Duplex {
    const child = spawn(this.sshBinary, sshArgs(this.url), { stdio: ['pipe', 'pipe', 'pipe'] });
    return new SshStream(child);
  }
}
