import type { ContainerInfo, ImageInfo, VolumeInspectInfo } from 'dockerode';
import type { ContainerSummary, ImageSummary, PortBinding, VolumeSummary } from '../contract/types.js';

/** Pure mappings from engine JSON to the contract's summaries. */

const STATES: ReadonlyArray<ContainerSummary['state']> = ['created', 'running', 'paused', 'restarting', 'removing', 'exited', 'dead'];

export const COMPOSE_PROJECT_LABEL = 'com.docker.compose.project';
export const COMPOSE_SERVICE_LABEL = 'com.docker.compose.service';

/** The container's own name: Names holds '/name' plus '/other/alias' entries for legacy links. */
export function containerName(names: readonly string[] | undefined, id: string): string {
  const list = names ?? [];
  const own = list.find((n) => n.lastIndexOf('/') === 0) ?? list[0];
  return own ? own.replace(/^\//, '') : id.slice(0, 12);
}

/**
 * Published ports only (an exposed port without a host port is not reachable
 * from the host). The engine lists a binding on 0.0.0.0 and again on '::'; the
 * pair is one binding to the user, shown as 0.0.0.0.
 */
export function mapPorts(ports: ContainerInfo['Ports'] | undefined): PortBinding[] {
  const out: PortBinding[] = [];
  const seen = new Set<string>();
  for (const p of ports ?? []) {
    if (!p.PublicPort) continue;
    const protocol = p.Type === 'udp' ? 'udp' : 'tcp';
    let hostIp = p.IP || '0.0.0.0';
    if (hostIp === '::') hostIp = '0.0.0.0';
    const key = `${hostIp}|${p.PublicPort}|${p.PrivatePort}|${protocol}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ hostIp, hostPort: p.PublicPort, containerPort: p.PrivatePort, protocol });
  }
  return out.sort((a, b) => a.hostPort - b.hostPort || a.containerPort - b.containerPort || a.protocol.localeCompare(b.protocol));
}

export function toContainerSummary(c: ContainerInfo): ContainerSummary {
  const labels = c.Labels ?? {};
  const state = (STATES as readonly string[]).includes(c.State) ? (c.State as ContainerSummary['state']) : 'dead';
  const summary: ContainerSummary = {
    id: c.Id,
    name: containerName(c.Names, c.Id),
    image: c.Image,
    state,
    status: c.Status ?? '',
    created: c.Created,
    ports: mapPorts(c.Ports),
    labels,
  };
  const project = labels[COMPOSE_PROJECT_LABEL];
  const service = labels[COMPOSE_SERVICE_LABEL];
  if (project) summary.composeProject = project;
  if (service) summary.composeService = service;
  return summary;
}

export function isDangling(tags: readonly string[] | undefined | null): boolean {
  return !tags || tags.length === 0 || tags.every((t) => t === '<none>:<none>');
}

/** `containers` counts every container (any state) created from the image. */
export function toImageSummary(img: ImageInfo, containers: readonly Pick<ContainerInfo, 'ImageID'>[]): ImageSummary {
  const tags = (img.RepoTags ?? []).filter((t) => t !== '<none>:<none>');
  return {
    id: img.Id,
    repoTags: tags,
    size: img.Size,
    created: img.Created,
    containers: containers.filter((c) => c.ImageID === img.Id).length,
    dangling: isDangling(img.RepoTags),
  };
}

export interface VolumeUsage {
  /** Bytes, -1 when unknown. */
  size: number;
}

export function toVolumeSummary(
  v: Pick<VolumeInspectInfo, 'Name' | 'Driver' | 'Mountpoint' | 'Labels'> & { CreatedAt?: string },
  usage: ReadonlyMap<string, VolumeUsage>,
  containers: readonly Pick<ContainerInfo, 'Id' | 'Names' | 'Mounts'>[],
): VolumeSummary {
  const usedBy = containers
    .filter((c) => (c.Mounts ?? []).some((m) => m.Type === 'volume' && m.Name === v.Name))
    .map((c) => containerName(c.Names, c.Id))
    .sort();
  const summary: VolumeSummary = {
    name: v.Name,
    driver: v.Driver,
    mountpoint: v.Mountpoint,
    size: usage.get(v.Name)?.size ?? -1,
    usedBy,
    labels: v.Labels ?? {},
  };
  if (v.CreatedAt) summary.createdAt = v.CreatedAt;
  return summary;
}

/** Sizes from `/system/df`: UsageData.Size is -1 when the engine has not computed it. */
export function volumeUsageFromDf(df: unknown): Map<string, VolumeUsage> {
  const out = new Map<string, VolumeUsage>();
  const vols = (df as { Volumes?: unknown } | null)?.Volumes;
  if (!Array.isArray(vols)) return out;
  for (const v of vols as Array<{ Name?: string; UsageData?: { Size?: number } | null }>) {
    if (typeof v.Name !== 'string') continue;
    const size = v.UsageData?.Size;
    out.set(v.Name, { size: typeof size === 'number' && size >= 0 ? size : -1 });
  }
  return out;
}
