import fs from 'node:fs/promises';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { dockerConfigDir } from '../proxy/docker-context.js';

/**
 * The docker CLI's contexts, read the way the CLI stores them:
 *   $DOCKER_CONFIG/contexts/meta/<sha256(name)>/meta.json       name + endpoint
 *   $DOCKER_CONFIG/contexts/tls/<sha256(name)>/docker/{ca,cert,key}.pem
 *   $DOCKER_CONFIG/config.json "currentContext"
 * plus the built-in "default" (DOCKER_HOST or the local socket). Read only.
 */
export interface CliContext {
  name: string;
  description: string;
  /** unix://, npipe://, tcp:// or ssh:// */
  host: string;
  skipTlsVerify: boolean;
  /** Directory holding ca.pem / cert.pem / key.pem, when the context has TLS material. */
  tlsDir?: string;
}

export function contextDirName(name: string): string {
  return createHash('sha256').update(name).digest('hex');
}

export async function readCliContexts(configDir: string = dockerConfigDir(), env: NodeJS.ProcessEnv = process.env): Promise<CliContext[]> {
  const metaRoot = path.join(configDir, 'contexts', 'meta');
  const out: CliContext[] = [{
    name: 'default',
    description: 'The docker CLI\'s built-in context (DOCKER_HOST or the local socket)',
    host: env.DOCKER_HOST || (process.platform === 'win32' ? 'npipe:////./pipe/docker_engine' : 'unix:///var/run/docker.sock'),
    skipTlsVerify: false,
  }];
  let dirs: string[] = [];
  try {
    dirs = await fs.readdir(metaRoot);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  for (const dir of dirs) {
    let meta: { Name?: unknown; Metadata?: { Description?: unknown }; Endpoints?: { docker?: { Host?: unknown; SkipTLSVerify?: unknown } } };
    try {
      meta = JSON.parse(await fs.readFile(path.join(metaRoot, dir, 'meta.json'), 'utf8')) as typeof meta;
    } catch {
      continue; // a half-written or foreign entry: the CLI skips it too
    }
    const name = typeof meta.Name === 'string' ? meta.Name : undefined;
    const host = meta.Endpoints?.docker?.Host;
    if (!name || typeof host !== 'string') continue;
    const tlsDir = path.join(configDir, 'contexts', 'tls', dir, 'docker');
    const hasTls = await fs.access(path.join(tlsDir, 'ca.pem')).then(() => true, () => false)
      || await fs.access(path.join(tlsDir, 'cert.pem')).then(() => true, () => false);
    out.push({
      name,
      description: typeof meta.Metadata?.Description === 'string' ? meta.Metadata.Description : '',
      host,
      skipTlsVerify: meta.Endpoints?.docker?.SkipTLSVerify === true,
      tlsDir: hasTls ? tlsDir : undefined,
    });
  }
  return out.sort((a, b) => (a.name === 'default' ? -1 : b.name === 'default' ? 1 : a.name.localeCompare(b.name)));
}
