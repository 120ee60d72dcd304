import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { writeFileAtomic } from '../settings/atomic-write.js';

/**
 * The docker CLI's own context store ($DOCKER_CONFIG or ~/.docker):
 *   contexts/meta/<sha256(name)>/meta.json  holds the endpoint,
 *   config.json "currentContext"            names the current one.
 * We edit only our context and that one key, leaving the rest of the user's
 * config untouched.
 */
export class DockerContextStore {
  constructor(private readonly configDir: string = dockerConfigDir()) {}

  metaDir(name: string): string {
    return path.join(this.configDir, 'contexts', 'meta', createHash('sha256').update(name).digest('hex'));
  }

  async write(name: string, host: string, description: string): Promise<void> {
    const dir = this.metaDir(name);
    await fs.mkdir(dir, { recursive: true, mode: PRIVATE_DIR });
    const meta = { Name: name, Metadata: { Description: description }, Endpoints: { docker: { Host: host, SkipTLSVerify: false } } };
    await atomicWrite(path.join(dir, 'meta.json'), JSON.stringify(meta));
  }

  async exists(name: string): Promise<boolean> {
    return fs.access(path.join(this.metaDir(name), 'meta.json')).then(() => true, () => false);
  }

  async remove(name: string): Promise<void> {
    await fs.rm(this.metaDir(name), { recursive: true, force: true });
    if ((await this.current()) === name) await this.setCurrent(undefined);
  }

  private async readConfig(): Promise<Record<string, unknown>> {
    try {
      const parsed = JSON.parse(await fs.readFile(path.join(this.configDir, 'config.json'), 'utf8')) as unknown;
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw new Error(`Cannot read ${path.join(this.configDir, 'config.json')}: ${(err as Error).message}. Fix or remove that file.`, { cause: err });
    }
  }

  /** The current context name; undefined means docker's built-in 'default'. */
  async current(): Promise<string | undefined> {
    const c = (await this.readConfig()).currentContext;
    return typeof c === 'string' && c !== '' && c !== 'default' ? c : undefined;
  }

  /**
   * The proxies the docker CLI passes to new containers and builds
   * (config.json "proxies"."default"); other hosts' entries are left alone.
   * undefined removes Wharf's default entry.
   */
  async setDefaultProxies(proxies: Record<string, string> | undefined): Promise<void> {
    const config = await this.readConfig();
    const all = config.proxies && typeof config.proxies === 'object' && !Array.isArray(config.proxies) ? { ...(config.proxies as Record<string, unknown>) } : {};
    if (proxies) all.default = proxies;
    else delete all.default;
    if (Object.keys(all).length) config.proxies = all;
    else delete config.proxies;
    await fs.mkdir(this.configDir, { recursive: true });
    await atomicWrite(path.join(this.configDir, 'config.json'), JSON.stringify(config, null, '\t'));
  }

  /** config.json "proxies"."default", if any. */
  async defaultProxies(): Promise<Record<string, unknown> | undefined> {
    const p = (await this.readConfig()).proxies as Record<string, unknown> | undefined;
    const d = p && typeof p === 'object' ? p.default : undefined;
    return d && typeof d === 'object' ? (d as Record<string, unknown>) : undefined;
  }

  async setCurrent(name: string | undefined): Promise<void> {
    const config = await this.readConfig();
    if (name === undefined || name === 'default') delete config.currentContext;
    else config.currentContext = name;
    await fs.mkdir(this.configDir, { recursive: true, mode: PRIVATE_DIR });
    await atomicWrite(path.join(this.configDir, 'config.json'), JSON.stringify(config, null, '\t'));
  }
}

/** Where the docker CLI keeps its config (and the contexts). */
export function dockerConfigFile(configDir: string = dockerConfigDir()): string {
  return path.join(configDir, 'config.json');
}

export function dockerConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.DOCKER_CONFIG ? path.resolve(env.DOCKER_CONFIG) : path.join(os.homedir(), '.docker');
}

/** The docker CLI's config holds registry passwords: what we create is for the owner only. */
const PRIVATE_DIR = 0o700;
const PRIVATE_FILE = 0o600;

/**
 * Replaces `file` atomically, keeping the mode the user gave it (0600 when
 * new) and writing through a symlink rather than replacing it.
 */
async function atomicWrite(file: string, text: string): Promise<void> {
  const target = await fs.realpath(file).catch(() => file);
  const existing = await fs.stat(target).then((s) => s.mode & 0o777, () => PRIVATE_FILE);
  await writeFileAtomic(target, text, existing);
}

export const WHARF_CONTEXT = 'wharf';

/**
 * Makes `wharf` current on start and puts the previous context back on stop.
 * The previous name is persisted so a crash between the two still restores it.
 */
export class ContextSwitcher {
  constructor(private readonly store: DockerContextStore, private readonly rememberFile: string) {}

  async install(socketPath: string, makeCurrent: boolean): Promise<void> {
    const host = process.platform === 'win32' ? `npipe://${socketPath.replace(/\\/g, '/')}` : `unix://${socketPath}`;
    await this.store.write(WHARF_CONTEXT, host, 'Wharf (docker engine in a lightweight VM)');
    if (!makeCurrent) return;
    const current = await this.store.current();
    if (current !== WHARF_CONTEXT) {
      await atomicWrite(this.rememberFile, JSON.stringify({ previous: current ?? null }));
      await this.store.setCurrent(WHARF_CONTEXT);
    }
  }

  async restore(): Promise<void> {
    let previous: string | undefined;
    try {
      const saved = JSON.parse(await fs.readFile(this.rememberFile, 'utf8')) as { previous: string | null };
      previous = saved.previous ?? undefined;
    } catch {
      return;
    }
    // Only undo our own switch: if the user picked another context meanwhile, keep it.
    if ((await this.store.current()) === WHARF_CONTEXT) await this.store.setCurrent(previous);
    await fs.rm(this.rememberFile, { force: true });
  }
}
