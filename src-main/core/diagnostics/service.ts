import os from 'node:os';
import path from 'node:path';
import type { ServiceImpl } from '../contract/define.js';
import type { Contract } from '../contract/services.js';
import type { HostInfo, Notice } from '../contract/types.js';
import { errorMessage } from '../errors.js';
import type { WharfPaths } from '../paths.js';
import { WHARF_VERSION } from '../version.js';
import { collectDiagnostics } from './collect.js';
import { cleanData, factoryReset } from './reset.js';

export interface DiagnosticsServiceDeps {
  paths: WharfPaths;
  /** Where archives go; default <home>/diagnostics. */
  outDir?: string;
  /** Versions beyond wharf/node/os (qemu, kernel, docker, containerd), best effort. */
  versions?: () => Promise<Record<string, string | undefined>>;
  /** `docker info` as text; may throw when the engine is down. */
  dockerInfo?: () => Promise<string>;
  hostInfo?: () => Promise<HostInfo>;
  notices?: () => Notice[];
  /** Removes all containers, images and volumes (engine). */
  removeAllData: () => Promise<void>;
  /** Stops the VM before a factory reset. */
  beforeFactoryReset?: () => Promise<void>;
  /** Removes the docker context and anything else outside the Wharf home. */
  afterFactoryReset?: () => Promise<void>;
}

async function settle<T>(fn: (() => Promise<T>) | undefined): Promise<{ value?: T; error?: string }> {
  if (!fn) return {};
  try {
    return { value: await fn() };
  } catch (err) {
    return { error: errorMessage(err) };
  }
}

export function createDiagnosticsService(deps: DiagnosticsServiceDeps): ServiceImpl<Contract['diagnostics']> {
  return {
    async collect() {
      // Diagnostics are wanted most when things are broken: every source is optional.
      const [versions, info, host] = await Promise.all([settle(deps.versions), settle(deps.dockerInfo), settle(deps.hostInfo)]);
      return collectDiagnostics({
        paths: deps.paths,
        outDir: deps.outDir ?? path.join(deps.paths.home, 'diagnostics'),
        versions: { wharf: WHARF_VERSION, node: process.version, os: `${os.platform()} ${os.release()} ${os.arch()}`, ...versions.value, ...(versions.error ? { versionsError: versions.error } : {}) },
        dockerInfo: info.value ?? (info.error ? `docker info failed: ${info.error}\n` : undefined),
        hostInfo: host.value,
        notices: deps.notices?.(),
      });
    },

    async cleanData(confirm) {
      await cleanData(confirm, deps.removeAllData);
    },

    async factoryReset(confirm) {
      await factoryReset(confirm, { paths: deps.paths, beforeReset: deps.beforeFactoryReset });
      await deps.afterFactoryReset?.();
    },
  };
}
