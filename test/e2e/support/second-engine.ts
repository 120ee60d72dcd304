import { execFile } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './env.js';

const run = promisify(execFile);
const wharfBin = path.join(repoRoot, 'bin', 'wharf.mjs');
export const standinExe = path.join(repoRoot, 'test/support/wsl-standin/wsl.exe');

/**
 * A second Wharf engine for the remote-engines spec, in its own WHARF_HOME,
 * without a second VM (the machine runs one VM per helper): backend=wsl
 * through the WSL stand-in, which runs the real engine distro from vm:build
 * (dockerd, containerd, Wharf's guest TLS) in namespaces on this host. Its
 * engine listens with mutual TLS on 127.0.0.1 (WSL's localhost forwarding),
 * exactly what a context's tcp:// endpoint points at.
 */
export interface SecondEngine {
  home: string;
  env: NodeJS.ProcessEnv;
  enginePort: number;
  certs: string;
  docker(args: string[]): Promise<string>;
  stop(): Promise<void>;
}

/** Loopback ports listening inside the stand-in's network namespace (dockerd's TLS port among them). */
function netnsListeningPorts(netnsPid: string): number[] {
  const ports = new Set<number>();
  for (const file of [`/proc/${netnsPid}/net/tcp`, `/proc/${netnsPid}/net/tcp6`]) {
    let text: string;
    try { text = fs.readFileSync(file, 'utf8'); } catch { continue; }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length > 3 && f[3] === '0A') ports.add(parseInt(f[1]!.split(':')[1]!, 16));
    }
  }
  return [...ports];
}

/** GET /_ping with the engine's client certificate: 'OK' only from a docker engine that trusts it. */
function tlsPing(port: number, certs: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = https.get({
      host: '127.0.0.1', port, path: '/_ping', timeout: 5000,
      ca: fs.readFileSync(path.join(certs, 'ca.pem')), cert: fs.readFileSync(path.join(certs, 'cert.pem')), key: fs.readFileSync(path.join(certs, 'key.pem')),
    }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => { body += d.toString(); });
      res.on('end', () => resolve(res.statusCode === 200 && body === 'OK'));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

export async function startSecondEngine(base: string): Promise<SecondEngine> {
  const home = path.join(base, 'home');
  const standinRoot = path.join(base, 'wsl-standin');
  const driveC = path.join(base, 'drive-c');
  const dockerConfig = path.join(base, 'docker-config');
  for (const d of [driveC, dockerConfig]) fs.mkdirSync(d, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env, WHARF_HOME: home, DOCKER_CONFIG: dockerConfig, DOCKER_HOST: '', DOCKER_CONTEXT: '',
    WHARF_WSL_EXE: standinExe, WSL_STANDIN_ROOT: standinRoot, WSL_STANDIN_DRIVE_C: driveC,
  };
  const wharf = (args: string[], timeout = 60_000) => run(process.execPath, [wharfBin, ...args], { env, timeout, maxBuffer: 16 * 1024 * 1024 });
  const socket = path.join(home, 'run', 'docker.sock');
  const stop = async () => {
    await wharf(['stop'], 180_000).catch(() => undefined);
    // The stand-in's own cleanup: namespaces, veth and mounts it made, found by its state folder.
    await run(standinExe, ['--standin-teardown'], { env, timeout: 60_000 }).catch(() => undefined);
  };
  try {
    await wharf(['set', 'backend=wsl', 'switchContext=false', 'resourceSaverMinutes=0']);
    await wharf(['start'], 15 * 60_000);
    const certs = path.join(home, 'certs');
    const netnsPid = fs.readFileSync(path.join(standinRoot, 'vm', 'netns.pid'), 'utf8').trim();
    let enginePort = 0;
    for (const port of netnsListeningPorts(netnsPid)) {
      if (await tlsPing(port, certs)) { enginePort = port; break; }
    }
    if (!enginePort) throw new Error(`the second engine answers on no TLS port of its namespace (listening: ${netnsListeningPorts(netnsPid).join(', ')})`);
    return {
      home, env, enginePort, certs, stop,
      docker: (args) => run('docker', ['-H', `unix://${socket}`, ...args], { env, timeout: 180_000, killSignal: 'SIGKILL' }).then((r) => r.stdout.trim()),
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
