import type Docker from 'dockerode';
import type { ServiceImpl } from '../contract/define.js';
import type { NetworkSummary } from '../contract/daily-types.js';
import type { Contract } from '../contract/services.js';
import { UserError } from '../errors.js';
import type { EngineDeps } from './deps.js';
import { toUserError } from './errors.js';

export type NetworksService = ServiceImpl<Contract['networks']>;

const BUILT_IN = new Set(['bridge', 'host', 'none']);

/** A network with the containers attached to it, taken from the container list (one call, not one inspect per network). */
export function toNetworkSummary(n: Docker.NetworkInspectInfo, containers: readonly Docker.ContainerInfo[]): NetworkSummary {
  const attached: NetworkSummary['containers'] = [];
  for (const c of containers) {
    for (const [netName, ep] of Object.entries(c.NetworkSettings?.Networks ?? {})) {
      if (ep.NetworkID === n.Id || (!ep.NetworkID && netName === n.Name)) {
        attached.push({ name: c.Names?.[0]?.replace(/^\//, '') ?? c.Id.slice(0, 12), ipv4: ep.IPAddress ?? '' });
      }
    }
  }
  attached.sort((a, b) => a.name.localeCompare(b.name));
  return {
    id: n.Id,
    name: n.Name,
    driver: n.Driver,
    scope: n.Scope,
    internal: Boolean(n.Internal),
    subnets: (n.IPAM?.Config ?? []).map((c) => c.Subnet ?? '').filter(Boolean),
    created: n.Created,
    builtIn: BUILT_IN.has(n.Name),
    containers: attached,
    labels: n.Labels ?? {},
  };
}

export function createNetworksService({ docker, bus }: EngineDeps): NetworksService {
  const subject = (ref: string) => ({ kind: 'network' as const, ref });
  return {
    async list() {
      try {
        const [nets, containers] = await Promise.all([docker.listNetworks(), docker.listContainers({ all: true })]);
        return nets.map((n) => toNetworkSummary(n, containers)).sort((a, b) => Number(b.builtIn) - Number(a.builtIn) || a.name.localeCompare(b.name));
      } catch (err) {
        throw toUserError(err);
      }
    },

    async create({ name, driver, subnet, internal }) {
      try {
        const existing = await docker.listNetworks({ filters: { name: [name] } });
        // The name filter matches substrings; only an exact match is a conflict.
        if (existing.some((n) => n.Name === name)) throw new UserError(`Network '${name}' already exists.`, 'conflict');
        const net = await docker.createNetwork({
          Name: name, Driver: driver, Internal: internal, CheckDuplicate: true,
          ...(subnet ? { IPAM: { Driver: 'default', Config: [{ Subnet: subnet }] } } : {}),
        });
        const info = (await net.inspect()) as Docker.NetworkInspectInfo;
        bus.emit('invalidate', { topic: 'networks' });
        return toNetworkSummary(info, []);
      } catch (err) {
        if (err instanceof UserError) throw err;
        const e = toUserError(err, subject(name));
        if (/overlap/i.test(e.message)) throw new UserError(`Subnet ${subnet ?? ''} overlaps a network that exists; choose another range.`.replace('  ', ' '), 'conflict');
        throw e;
      }
    },

    async remove(ref) {
      if (BUILT_IN.has(ref)) throw new UserError(`'${ref}' comes with the engine and cannot be removed.`, 'invalid');
      try {
        await docker.getNetwork(ref).remove();
        bus.emit('invalidate', { topic: 'networks' });
      } catch (err) {
        const e = toUserError(err, subject(ref));
        if (/active endpoints/i.test(e.message)) {
          throw new UserError(`Network '${ref}' still has containers attached; disconnect or remove them first.`, 'in-use');
        }
        throw e;
      }
    },

    async prune() {
      try {
        const r = await docker.pruneNetworks();
        bus.emit('invalidate', { topic: 'networks' });
        return { deleted: r.NetworksDeleted ?? [], spaceReclaimed: 0 };
      } catch (err) {
        throw toUserError(err);
      }
    },
  };
}
