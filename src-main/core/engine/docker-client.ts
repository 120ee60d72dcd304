import Docker from 'dockerode';

/**
 * Where the engine is. Normally `{ socketPath }`: the host-side docker.sock
 * (or named pipe) that the proxy forwards to the VM. `{ host, port, ca, cert,
 * key }` talks mTLS to the guest's dockerd directly.
 */
export type EngineEndpoint =
  | { socketPath: string }
  | { host: string; port: number; ca: string | Buffer; cert: string | Buffer; key: string | Buffer };

/**
 * A dockerode client for exactly this endpoint. dockerode fills unset options
 * from DOCKER_HOST / DOCKER_CERT_PATH / DOCKER_CLIENT_TIMEOUT, which could point
 * at another engine entirely, so every connection option is set explicitly.
 * No request timeout: logs, events and exec streams are long-lived.
 */
export function createDockerClient(endpoint: EngineEndpoint): Docker {
  if ('socketPath' in endpoint) {
    return new Docker({
      socketPath: endpoint.socketPath,
      host: undefined, port: undefined, protocol: undefined,
      ca: undefined, cert: undefined, key: undefined, timeout: undefined,
    } as Docker.DockerOptions);
  }
  return new Docker({
    protocol: 'https',
    host: endpoint.host,
    port: endpoint.port,
    ca: endpoint.ca,
    cert: endpoint.cert,
    key: endpoint.key,
    socketPath: undefined,
    timeout: undefined,
  } as Docker.DockerOptions);
}

export function describeEndpoint(endpoint: EngineEndpoint): string {
  if (!('socketPath' in endpoint)) return `https://${endpoint.host}:${endpoint.port}`;
  const p = endpoint.socketPath;
  return /^(\/\/|\\\\)\.[/\\]pipe[/\\]/i.test(p) ? `npipe://${p.replace(/\\/g, '/')}` : `unix://${p}`;
}

/** Pings with a deadline; dockerode has no per-request timeout of its own. */
export async function pingEngine(docker: Docker, timeoutMs: number): Promise<void> {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), timeoutMs);
  try {
    // dockerode accepts {abortSignal} here at runtime; its typings omit the options.
    const ping = docker.ping as unknown as (opts: { abortSignal: AbortSignal }) => Promise<unknown>;
    await ping.call(docker, { abortSignal: ac.signal });
  } finally {
    clearTimeout(timer);
  }
}
