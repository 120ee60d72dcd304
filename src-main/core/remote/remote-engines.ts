import type Docker from 'dockerode';
import type { DockerContextInfo } from '../contract/types.js';
import type { EventBus } from '../util/event-bus.js';
import type { StreamRegistry } from '../util/streams.js';
import { createEngineServices, pingEngine, type EngineServices } from '../engine/index.js';
import { DockerContextStore, dockerConfigDir } from '../proxy/docker-context.js';
import { UserError } from '../errors.js';
import { readCliContexts, type CliContext } from './contexts-store.js';
import { clientForContext, endpointKind } from './remote-endpoint.js';
import { remoteError } from './remote-errors.js';

export interface RemoteEnginesDeps {
  bus: EventBus;
  streams: StreamRegistry;
  /** The context that is Wharf's own VM; choosing it means "local" again. */
  localContext: string;
  /** Its endpoint, shown before the context exists. */
  localHost?: string;
  configDir?: string;
  /** How long a new engine gets to answer its first ping. Default 10 s. */
  pingTimeoutMs?: number;
}

interface Selected {
  context: CliContext;
  docker: Docker;
  services: EngineServices;
}

/**
 * Remote engines: the docker CLI's contexts, any of which can feed the
 * containers, images and volumes views instead of Wharf's own VM. The VM stays
 * managed as before; only where those views read and act changes.
 */
export class RemoteEngines {
  private selected?: Selected;

  constructor(private readonly deps: RemoteEnginesDeps) {}

  private configDir(): string {
    return this.deps.configDir ?? dockerConfigDir();
  }

  /** The views' engine when it is not Wharf's VM. */
  get services(): EngineServices | undefined {
    return this.selected?.services;
  }

  get target(): { context: string; host: string } | undefined {
    return this.selected ? { context: this.selected.context.name, host: this.selected.context.host } : undefined;
  }

  async list(): Promise<DockerContextInfo[]> {
    const contexts = await readCliContexts(this.configDir());
    // Wharf writes its context on the first start; before that its VM is still an engine to pick.
    if (!contexts.some((c) => c.name === this.deps.localContext)) {
      contexts.splice(1, 0, { name: this.deps.localContext, description: 'Wharf (docker engine in a lightweight VM)', host: this.deps.localHost ?? '', skipTlsVerify: false });
    }
    const current = await this.cliCurrent();
    const viewed = this.selected?.context.name ?? this.deps.localContext;
    return contexts.map((c) => ({
      name: c.name,
      description: c.description,
      host: c.host,
      kind: c.name === this.deps.localContext ? 'wharf' : endpointKind(c.host) ?? 'unsupported',
      tls: c.tlsDir !== undefined,
      cliCurrent: c.name === current,
      viewed: c.name === viewed,
    }));
  }

  private async cliCurrent(): Promise<string> {
    return (await new DockerContextStore(this.configDir()).current()) ?? 'default';
  }

  /** Points the views at `name` after its engine answered; the local VM's context means Wharf's own again. */
  async select(name: string): Promise<DockerContextInfo> {
    if (name === this.deps.localContext) {
      this.drop();
      this.invalidateViews();
      return this.entry(name);
    }
    const ctx = (await readCliContexts(this.configDir())).find((c) => c.name === name);
    if (!ctx) throw new UserError(`There is no docker context "${name}". \`docker context ls\` lists them; \`docker context create\` adds one.`, 'remote-unknown');
    const docker = await clientForContext(ctx);
    try {
      await pingEngine(docker, this.deps.pingTimeoutMs ?? 10_000);
    } catch (err) {
      throw remoteError(name, ctx.host, err);
    }
    this.drop();
    const services = createEngineServices({ docker, bus: this.deps.bus, streams: this.deps.streams, connectionOptions: { reconcileTopics: ['containers', 'images', 'volumes'] } });
    services.start();
    this.selected = { context: ctx, docker, services };
    this.invalidateViews();
    return this.entry(name);
  }

  /** Checks one context without selecting it (the view's "Test" button). */
  async check(name: string): Promise<{ ok: true; version: string }> {
    const ctx = (await readCliContexts(this.configDir())).find((c) => c.name === name);
    if (!ctx) throw new UserError(`There is no docker context "${name}".`, 'remote-unknown');
    const docker = await clientForContext(ctx);
    try {
      await pingEngine(docker, this.deps.pingTimeoutMs ?? 10_000);
      return { ok: true, version: (await docker.version()).Version };
    } catch (err) {
      throw remoteError(name, ctx.host, err);
    }
  }

  private async entry(name: string): Promise<DockerContextInfo> {
    const found = (await this.list()).find((c) => c.name === name);
    if (!found) throw new UserError(`There is no docker context "${name}".`, 'remote-unknown');
    return found;
  }

  private drop(): void {
    this.selected?.services.stop();
    this.selected = undefined;
  }

  private invalidateViews(): void {
    for (const topic of ['containers', 'images', 'volumes', 'engine'] as const) this.deps.bus.emit('invalidate', { topic });
  }

  stop(): void {
    this.drop();
  }
}
