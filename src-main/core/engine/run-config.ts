import type { ContainerCreateOptions } from 'dockerode';
import type { z } from 'zod';
import type { runOptionsSchema } from '../contract/services.js';

export type ParsedRunOptions = z.output<typeof runOptionsSchema>;

/**
 * RunOptions → the engine's create body, as `docker run` builds it:
 * `-p [ip:]host:container[/proto]` → ExposedPorts + PortBindings,
 * `-v source:target[:ro]` → Binds (a source starting with '/' is a path,
 * anything else a named volume, created on first use).
 */
export function toCreateOptions(o: ParsedRunOptions): ContainerCreateOptions {
  const exposed: Record<string, object> = {};
  const bindings: Record<string, Array<{ HostIp: string; HostPort: string }>> = {};
  // Defaults are normally filled by the contract's schema; in-process callers may skip it.
  for (const p of o.ports ?? []) {
    const key = `${p.containerPort}/${p.protocol ?? 'tcp'}`;
    exposed[key] = {};
    (bindings[key] ??= []).push({ HostIp: p.hostIp ?? '0.0.0.0', HostPort: String(p.hostPort) });
  }
  const binds = (o.volumes ?? []).map((v) => `${v.source}:${v.target}${v.readOnly ? ':ro' : ''}`);
  const create: ContainerCreateOptions = {
    Image: o.image,
    Env: o.env ?? [],
    ExposedPorts: exposed,
    HostConfig: { PortBindings: bindings, Binds: binds },
  };
  if (o.name) create.name = o.name;
  if (o.cmd && o.cmd.length > 0) create.Cmd = o.cmd;
  return create;
}
