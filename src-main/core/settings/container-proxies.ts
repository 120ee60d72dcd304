import { isDeepStrictEqual } from 'node:util';
import type { Settings } from '../contract/settings-schema.js';
import type { DockerContextStore } from '../proxy/docker-context.js';
import { cliProxyConfig } from './proxy-values.js';

const triple = (s: Settings) => ({ http: s.containerHttpProxy, https: s.containerHttpsProxy, noProxy: s.containerNoProxy });

/**
 * Puts the container proxies (Settings → Proxies, "Containers") into the
 * docker CLI's config.json, which hands them to every new container and build
 * as HTTP_PROXY/HTTPS_PROXY/NO_PROXY. It writes only when those settings
 * change, so proxies the user put in config.json by hand survive every other
 * settings change and every start.
 */
export class ContainerProxySync {
  private last: ReturnType<typeof triple>;

  constructor(private readonly store: DockerContextStore, initial: Settings) {
    this.last = triple(initial);
  }

  /** Returns whether config.json was written. */
  async onSettings(settings: Settings): Promise<boolean> {
    const next = triple(settings);
    if (isDeepStrictEqual(next, this.last)) return false;
    this.last = next;
    await this.store.setDefaultProxies(cliProxyConfig(next));
    return true;
  }
}
