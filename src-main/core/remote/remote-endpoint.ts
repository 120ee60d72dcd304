import fs from 'node:fs/promises';
import https from 'node:https';
import http from 'node:http';
import path from 'node:path';
import Docker from 'dockerode';
import type { CliContext } from './contexts-store.js';
import { SshAgent } from './ssh-agent.js';
import { UserError } from '../errors.js';

export type EndpointKind = 'unix' | 'npipe' | 'tcp' | 'ssh';

export function endpointKind(host: string): EndpointKind | undefined {
  const scheme = host.split('://')[0];
  return scheme === 'unix' || scheme === 'npipe' || scheme === 'tcp' || scheme === 'ssh' ? scheme : undefined;
}

async function readIf(file: string): Promise<Buffer | undefined> {
  return fs.readFile(file).catch(() => undefined);
}

/**
 * A dockerode client for a docker CLI context, with every option explicit
 * (dockerode would otherwise fill gaps from DOCKER_HOST and friends).
 * tcp:// uses the context's TLS material when it has any (verifying the
 * server unless the context says SkipTLSVerify), ssh:// runs the user's ssh.
 */
export async function clientForContext(ctx: CliContext): Promise<Docker> {
  const kind = endpointKind(ctx.host);
  const none = { socketPath: undefined, host: undefined, port: undefined, ca: undefined, cert: undefined, key: undefined, timeout: undefined };
  switch (kind) {
    case 'unix':
    case 'npipe':
      return new Docker({ ...none, socketPath: kind === 'unix' ? ctx.host.slice('unix://'.length) : ctx.host.slice('npipe://'.length).replace(/\//g, '\\') } as Docker.DockerOptions);
    case 'tcp': {
      const u = new URL(ctx.host);
      const tlsDir = ctx.tlsDir;
      const [ca, cert, key] = tlsDir
        ? await Promise.all(['ca.pem', 'cert.pem', 'key.pem'].map((f) => readIf(path.join(tlsDir, f))))
        : [undefined, undefined, undefined];
      const useTls = Boolean(ca || cert) || u.port === '2376';
      const agent = useTls
        ? new https.Agent({ ca, cert, key, rejectUnauthorized: !ctx.skipTlsVerify, keepAlive: true })
        : new http.Agent({ keepAlive: true });
      return new Docker({ ...none, protocol: useTls ? 'https' : 'http', host: u.hostname, port: Number(u.port || (useTls ? 2376 : 2375)), agent } as Docker.DockerOptions);
    }
    case 'ssh':
      return new Docker({ ...none, protocol: 'http', host: 'docker', port: 80, agent: new SshAgent(ctx.host) } as Docker.DockerOptions);
    default:
      throw new UserError(`Context "${ctx.name}" has the endpoint ${ctx.host}; Wharf supports unix://, npipe://, tcp:// (with TLS) and ssh://.`, 'remote-unsupported');
  }
}
