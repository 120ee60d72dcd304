import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * A private OpenSSH server on 127.0.0.1 for ssh:// docker contexts: its own
 * throwaway host key and one authorized client key, never the system sshd or
 * the user's ~/.ssh. Sessions get DOCKER_HOST, so `docker system dial-stdio`
 * on the "remote" side reaches the engine socket the test names.
 *
 * The client half is an `ssh` wrapper that adds `-F <config>` (identity and
 * known_hosts): what a user's ~/.ssh/config does. Put `clientBinDir` first in
 * PATH of whoever spawns ssh (Wharf's core, the docker CLI).
 */
export interface PrivateSshd {
  port: number;
  user: string;
  /** A loopback port nothing listens on (for "host unreachable"). */
  closedPort: number;
  clientBinDir: string;
  stop(): Promise<void>;
  log(): string;
}

export function sshdBinary(): string | undefined {
  for (const p of ['/usr/sbin/sshd', '/usr/bin/sshd']) if (fs.existsSync(p)) return p;
  return undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/**
 * The client wrapper dir must exist before the core starts (it inherits PATH),
 * so it is made first, and the server started later into the same folder.
 */
export function prepareSshClientDir(): { dir: string; clientBinDir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wharf-sshd-'));
  fs.chmodSync(dir, 0o700);
  const clientBinDir = path.join(dir, 'bin');
  fs.mkdirSync(clientBinDir, { mode: 0o700 });
  const wrapper = path.join(clientBinDir, 'ssh');
  fs.writeFileSync(wrapper, `#!/bin/sh\nexec /usr/bin/ssh -F '${path.join(dir, 'ssh_config')}' "$@"\n`, { mode: 0o700 });
  return { dir, clientBinDir };
}

export async function startPrivateSshd(dir: string, opts: { dockerHost: string }): Promise<PrivateSshd> {
  const sshd = sshdBinary();
  if (!sshd) throw new Error('sshd is not installed: apt-get install openssh-server');
  const user = os.userInfo().username;
  const hostKey = path.join(dir, 'host_ed25519');
  const clientKey = path.join(dir, 'client_ed25519');
  for (const k of [hostKey, clientKey]) {
    fs.rmSync(k, { force: true });
    fs.rmSync(`${k}.pub`, { force: true });
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'wharf-test', '-f', k]);
  }
  fs.copyFileSync(`${clientKey}.pub`, path.join(dir, 'authorized_keys'));
  fs.chmodSync(path.join(dir, 'authorized_keys'), 0o600);
  const port = await freePort();
  const closedPort = await freePort();
  const logFile = path.join(dir, 'sshd.log');
  const config = [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${hostKey}`,
    `PidFile ${path.join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PubkeyAuthentication yes',
    'PermitRootLogin prohibit-password',
    `AllowUsers ${user}`,
    'UsePAM no',
    // The throwaway key lives in /tmp; its folder is 0700, the check is for home dirs.
    'StrictModes no',
    `SetEnv DOCKER_HOST=${opts.dockerHost}`,
    'LogLevel VERBOSE',
    '',
  ].join('\n');
  fs.writeFileSync(path.join(dir, 'sshd_config'), config, { mode: 0o600 });
  // sshd refuses to run without its privilege-separation folder (the package makes it at boot).
  fs.mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const knownHosts = path.join(dir, 'known_hosts');
  fs.writeFileSync(knownHosts, `[127.0.0.1]:${port} ${fs.readFileSync(`${hostKey}.pub`, 'utf8').split(' ').slice(0, 2).join(' ')}\n`, { mode: 0o600 });
  fs.writeFileSync(path.join(dir, 'ssh_config'), [
    'Host *',
    `  IdentityFile ${clientKey}`,
    '  IdentitiesOnly yes',
    `  UserKnownHostsFile ${knownHosts}`,
    '  GlobalKnownHostsFile /dev/null',
    '  StrictHostKeyChecking yes',
    '',
  ].join('\n'), { mode: 0o600 });

  const child: ChildProcess = spawn(sshd, ['-D', '-e', '-f', path.join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', fs.openSync(logFile, 'a')] });
  const readLog = () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '');
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`sshd exited (${child.exitCode}):\n${readLog()}`);
    const up = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => { s.destroy(); resolve(true); });
      s.on('error', () => resolve(false));
    });
    if (up) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`sshd did not listen on 127.0.0.1:${port} within 15 s:\n${readLog()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    port,
    user,
    closedPort,
    clientBinDir: path.join(dir, 'bin'),
    log: readLog,
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => { child.kill('SIGKILL'); resolve(); }, 5000);
    }),
  };
}
