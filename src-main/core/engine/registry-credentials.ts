import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { RegistryLogin } from '../contract/daily-types.js';
import { UserError } from '../errors.js';
import { dockerConfigDir } from '../proxy/docker-context.js';
import { writeFileAtomic } from '../settings/atomic-write.js';

/**
 * Registry credentials where the docker CLI keeps them, so `docker login` and
 * Wharf's sign-in are one and the same: $DOCKER_CONFIG/config.json `auths`
 * (base64 user:password; the file stays 0600), or a credential helper named by
 * `credHelpers[server]` or `credsStore` (`docker-credential-<name> store|get|erase|list`,
 * JSON on stdin/stdout). Never in Wharf's own settings.
 */
export const DOCKER_HUB = 'https://index.docker.io/v1/';

export interface RegistryAuth {
  username: string;
  password: string;
  serveraddress: string;
}

/** The key the docker CLI files a registry under: host[:port], or Docker Hub's legacy URL. */
export function serverKey(input: string): string {
  const host = input.trim().replace(/^https?:\/\//i, '').replace(/\/.*$/, '').toLowerCase();
  if (!host || host === 'docker.io' || host === 'index.docker.io' || host === 'registry-1.docker.io') return DOCKER_HUB;
  return host;
}

/** The registry an image reference names (`localhost:5000/app` → localhost:5000; `busybox` → Docker Hub). */
export function registryOfImage(ref: string): string {
  const first = ref.split('/')[0]!;
  if (ref.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')) return serverKey(first);
  return DOCKER_HUB;
}

interface DockerConfig {
  auths?: Record<string, { auth?: string; identitytoken?: string }>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
  [key: string]: unknown;
}

export type HelperRunner = (program: string, action: string, input: string) => Promise<string>;

/** Runs a credential helper with an argument array; its stdout is the answer. */
export const runCredentialHelper: HelperRunner = (program, action, input) => new Promise((resolve, reject) => {
  const child = spawn(program, [action], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
  child.once('error', (e) => {
    clearTimeout(timer);
    const code = (e as NodeJS.ErrnoException).code;
    reject(code === 'ENOENT'
      ? new UserError(`The docker CLI keeps credentials in ${program} (config.json credsStore/credHelpers), but that program is not installed or not on PATH. Install it, or remove the setting from config.json.`, 'helper-missing')
      : e);
  });
  child.once('close', (code) => {
    clearTimeout(timer);
    if (code === 0) resolve(out);
    else reject(Object.assign(new Error((out || err).trim() || `${program} ${action} exited with ${code}`), { helperOutput: out.trim() }));
  });
  child.stdin.end(input);
});

export class DockerCredentials {
  constructor(private readonly configDir: string = dockerConfigDir(), private readonly run: HelperRunner = runCredentialHelper) {}

  get configFile(): string {
    return path.join(this.configDir, 'config.json');
  }

  private async read(): Promise<DockerConfig> {
    try {
      const parsed = JSON.parse(await fs.readFile(this.configFile, 'utf8')) as unknown;
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as DockerConfig) : {};
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw new UserError(`Cannot read ${this.configFile}: ${(err as Error).message}. Fix or remove that file.`, 'docker-config');
    }
  }

  /** Writes config.json atomically, keeping its mode (0600 when new) and writing through a symlink, like the docker CLI. */
  private async write(config: DockerConfig): Promise<void> {
    await fs.mkdir(this.configDir, { recursive: true, mode: 0o700 });
    const target = await fs.realpath(this.configFile).catch(() => this.configFile);
    const mode = ((await fs.stat(target).catch(() => undefined))?.mode ?? 0o600) & 0o777;
    await writeFileAtomic(target, JSON.stringify(config, null, '\t') + '\n', mode);
  }

  private helperFor(config: DockerConfig, server: string): string | undefined {
    const name = config.credHelpers?.[server] ?? config.credsStore;
    return name ? `docker-credential-${name}` : undefined;
  }

  async store(serverInput: string, username: string, password: string): Promise<RegistryLogin> {
    const server = serverKey(serverInput);
    const config = await this.read();
    const helper = this.helperFor(config, server);
    if (helper) {
      await this.run(helper, 'store', JSON.stringify({ ServerURL: server, Username: username, Secret: password }));
      // The docker CLI leaves an empty entry in auths so `docker login` lists the server.
      config.auths = { ...config.auths, [server]: {} };
    } else {
      config.auths = { ...config.auths, [server]: { auth: Buffer.from(`${username}:${password}`).toString('base64') } };
    }
    await this.write(config);
    return { server, username, store: helper ? helper.replace(/^docker-credential-/, '') : 'config' };
  }

  async get(serverInput: string): Promise<RegistryAuth | undefined> {
    const server = serverKey(serverInput);
    const config = await this.read();
    const helper = this.helperFor(config, server);
    if (helper) {
      try {
        const out = JSON.parse(await this.run(helper, 'get', server)) as { Username?: string; Secret?: string };
        if (out.Username && out.Secret) return { username: out.Username, password: out.Secret, serveraddress: server };
      } catch (err) {
        if (err instanceof UserError) throw err;
        // "credentials not found in native keychain": not signed in.
      }
      return undefined;
    }
    const auth = config.auths?.[server]?.auth;
    if (!auth) return undefined;
    const text = Buffer.from(auth, 'base64').toString('utf8');
    const colon = text.indexOf(':');
    if (colon < 0) return undefined;
    return { username: text.slice(0, colon), password: text.slice(colon + 1), serveraddress: server };
  }

  async erase(serverInput: string): Promise<void> {
    const server = serverKey(serverInput);
    const config = await this.read();
    const helper = this.helperFor(config, server);
    if (helper) await this.run(helper, 'erase', server).catch((err: unknown) => { if (err instanceof UserError) throw err; });
    if (config.auths && server in config.auths) {
      const { [server]: _gone, ...rest } = config.auths;
      config.auths = rest;
      await this.write(config);
    }
  }

  async list(): Promise<RegistryLogin[]> {
    const config = await this.read();
    const out: RegistryLogin[] = [];
    for (const server of Object.keys(config.auths ?? {}).sort()) {
      const helper = this.helperFor(config, server);
      if (helper) {
        const auth = await this.get(server).catch(() => undefined);
        if (auth) out.push({ server, username: auth.username, store: helper.replace(/^docker-credential-/, '') });
      } else {
        const auth = await this.get(server);
        if (auth) out.push({ server, username: auth.username, store: 'config' });
      }
    }
    return out;
  }
}
