import type Docker from 'dockerode';
import type { ServiceImpl } from '../contract/define.js';
import type { Contract } from '../contract/services.js';
import { UserError, errorMessage } from '../errors.js';
import type { EngineDeps } from './deps.js';
import { DockerStreamDemuxer } from './demux.js';
import { isNotModified, toUserError } from './errors.js';

export type ComposeService = ServiceImpl<Contract['compose']>;

export const PROJECT_LABEL = 'com.docker.compose.project';
const SERVICE_LABEL = 'com.docker.compose.service';
const DEPENDS_LABEL = 'com.docker.compose.depends_on';

type Info = Docker.ContainerInfo;

/**
 * Services in start order, from compose's `depends_on` label
 * ("db:service_started:false,cache:service_healthy:true"): dependencies first,
 * then by name. A cycle (which compose itself refuses) falls back to name order.
 */
export function startOrder(containers: readonly Pick<Info, 'Labels' | 'Names'>[]): string[] {
  const deps = new Map<string, Set<string>>();
  for (const c of containers) {
    const svc = c.Labels?.[SERVICE_LABEL] ?? c.Names?.[0]?.replace(/^\//, '') ?? '';
    const set = deps.get(svc) ?? new Set<string>();
    for (const part of (c.Labels?.[DEPENDS_LABEL] ?? '').split(',')) {
      const name = part.split(':')[0]?.trim();
      if (name) set.add(name);
    }
    deps.set(svc, set);
  }
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (s: string, depth: number): void => {
    if (state.get(s) === 'done' || !deps.has(s)) return;
    if (state.get(s) === 'visiting' || depth > 100) return;
    state.set(s, 'visiting');
    for (const d of [...(deps.get(s) ?? [])].sort()) visit(d, depth + 1);
    state.set(s, 'done');
    order.push(s);
  };
  for (const s of [...deps.keys()].sort()) visit(s, 0);
  return order;
}

/**
 * Stops a container and waits until the engine records it as stopped: the
 * stop call can answer a moment before the state changes, and a dependency
 * must be down before the next service goes.
 */
async function stopAndWait(c: Docker.Container): Promise<void> {
  try {
    await c.stop();
  } catch (err) {
    if (!isNotModified(err)) throw err;
  }
  await c.wait({ condition: 'not-running' });
}

export function createComposeService({ docker, bus, streams }: EngineDeps): ComposeService {
  const members = async (project: string): Promise<Info[]> => {
    let list: Info[];
    try {
      list = await docker.listContainers({ all: true, filters: { label: [`${PROJECT_LABEL}=${project}`] } });
    } catch (err) {
      throw toUserError(err);
    }
    if (list.length === 0) throw new UserError(`Compose project '${project}' has no containers. Create it with \`docker compose up\`.`, 'not-found');
    return list;
  };

  const byService = (list: Info[]): Map<string, Info[]> => {
    const m = new Map<string, Info[]>();
    for (const c of list) {
      const s = c.Labels?.[SERVICE_LABEL] ?? c.Names?.[0]?.replace(/^\//, '') ?? c.Id;
      m.set(s, [...(m.get(s) ?? []), c]);
    }
    return m;
  };

  /** Runs `fn` on every container, service by service in `order`; collects failures into one message. */
  const each = async (project: string, order: 'up' | 'down', fn: (c: Docker.Container, info: Info) => Promise<unknown>): Promise<void> => {
    const list = await members(project);
    const groups = byService(list);
    const services = startOrder(list);
    if (order === 'down') services.reverse();
    const failures: string[] = [];
    for (const s of services) {
      await Promise.all((groups.get(s) ?? []).map(async (info) => {
        try {
          await fn(docker.getContainer(info.Id), info);
        } catch (err) {
          if (isNotModified(err)) return;
          failures.push(`${info.Names?.[0]?.replace(/^\//, '') ?? info.Id.slice(0, 12)}: ${toUserError(err).message}`);
        }
      }));
    }
    bus.emit('invalidate', { topic: 'containers' });
    if (failures.length) throw new UserError(`Some containers of '${project}' failed: ${failures.join('; ')}`, 'partial');
  };

  return {
    start: (project) => each(project, 'up', (c) => c.start()),
    stop: (project) => each(project, 'down', stopAndWait),
    async restart(project) {
      await each(project, 'down', stopAndWait);
      await each(project, 'up', (c) => c.start());
    },

    async remove(project, { volumes }) {
      const counted = { containers: 0, networks: 0, volumes: 0 };
      // `v` also removes the containers' anonymous volumes, as `compose down -v` does.
      await each(project, 'down', async (c) => {
        await c.remove({ force: true, v: volumes });
        counted.containers++;
      });
      try {
        const nets = await docker.listNetworks({ filters: { label: [`${PROJECT_LABEL}=${project}`] } });
        for (const n of nets) {
          await docker.getNetwork(n.Id).remove().then(() => { counted.networks++; }, () => undefined);
        }
        if (volumes) {
          const vols = await docker.listVolumes({ filters: { label: [`${PROJECT_LABEL}=${project}`] } });
          for (const v of vols.Volumes ?? []) {
            await docker.getVolume(v.Name).remove().then(() => { counted.volumes++; }, (err: unknown) => {
              throw new UserError(`Removed the containers of '${project}', but not volume ${v.Name}: ${toUserError(err).message}`, 'partial');
            });
          }
        }
      } catch (err) {
        throw toUserError(err);
      }
      for (const topic of ['containers', 'volumes', 'networks'] as const) bus.emit('invalidate', { topic });
      return counted;
    },

    async logs(project, { tail }) {
      const list = await members(project);
      const aborts: AbortController[] = [];
      const stream = streams.open({ kind: 'compose-logs', dispose: () => { for (const a of aborts) a.abort(); } });
      // The first lines of every service arrive together; hold them briefly and sort by time,
      // so the merged backlog reads in order. Afterwards lines pass through as they come.
      let backlog: Array<{ t: string; line: string }> | undefined = [];
      const flushBacklog = (): void => {
        const items = backlog ?? [];
        backlog = undefined;
        items.sort((a, b) => (a.t < b.t ? -1 : a.t > b.t ? 1 : 0));
        if (items.length) stream.push(items.map((i) => i.line).join(''));
      };
      const backlogTimer = setTimeout(flushBacklog, 400);
      let open = list.length;
      const ended = (): void => {
        if (--open === 0) { clearTimeout(backlogTimer); flushBacklog(); stream.end(); }
      };
      for (const info of list) {
        const service = info.Labels?.[SERVICE_LABEL] ?? '';
        const name = info.Names?.[0]?.replace(/^\//, '') ?? info.Id.slice(0, 12);
        const ac = new AbortController();
        aborts.push(ac);
        let partial = '';
        const emit = (text: string): void => {
          const lines = (partial + text).split('\n');
          partial = lines.pop() ?? '';
          for (const raw of lines) {
            const m = /^(\S+)\s(.*)$/s.exec(raw.replace(/\r$/, ''));
            const t = m?.[1] ?? '';
            const line = JSON.stringify({ s: service, c: name, t, m: m ? m[2] : raw }) + '\n';
            if (backlog) backlog.push({ t, line });
            else stream.push(line);
          }
        };
        void (async () => {
          try {
            const tty = Boolean((await docker.getContainer(info.Id).inspect()).Config?.Tty);
            const source = (await docker.getContainer(info.Id).logs({
              follow: true, stdout: true, stderr: true, timestamps: true, tail, abortSignal: ac.signal,
            })) as unknown as NodeJS.ReadableStream;
            const demux = new DockerStreamDemuxer((text) => emit(text));
            source.on('data', (chunk: Buffer) => (tty ? emit(chunk.toString('utf8')) : demux.write(chunk)));
            source.once('end', () => { if (!tty) demux.end(); if (partial) emit('\n'); ended(); });
            source.once('error', () => ended());
          } catch (err) {
            if (!stream.closed) emit(`[wharf] could not follow ${name}: ${errorMessage(err)}\n`);
            ended();
          }
        })();
      }
      return { streamId: stream.id };
    },
  };
}
