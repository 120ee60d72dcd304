import type { Readable } from 'node:stream';
import type Docker from 'dockerode';
import type { ServiceImpl } from '../contract/define.js';
import type { Contract } from '../contract/services.js';
import { UserError } from '../errors.js';
import { packBuildContext } from './build-context.js';
import { BuildProgressAggregator } from './buildkit-status.js';
import type { EngineDeps } from './deps.js';
import { toUserError } from './errors.js';
import { followJsonJob } from './job-stream.js';
import { PullProgressAggregator, type PullMessage } from './pull-progress.js';
import { registryOfImage, type DockerCredentials } from './registry-credentials.js';

export type ImageToolsService = ServiceImpl<Contract['imageTools']>;

const PUSH_FINISHED = /^(Pushed|Layer already exists|Mounted from .*)$/i;

/** `host:5000/team/app:1.0` → ['host:5000/team/app', '1.0']; no tag → 'latest'. Digests are refused. */
export function splitRef(ref: string): [string, string] {
  if (ref.includes('@')) throw new UserError('Push a tag, not a digest: tag the image first.', 'invalid');
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  return colon > slash ? [ref.slice(0, colon), ref.slice(colon + 1)] : [ref, 'latest'];
}

export function createImageToolsService({ docker, bus, streams }: EngineDeps, creds: DockerCredentials): ImageToolsService {
  const subject = (ref: string) => ({ kind: 'image' as const, ref });
  return {
    async tag(ref, target) {
      const [repo, tag] = splitRef(target);
      try {
        await docker.getImage(ref).tag({ repo, tag });
        bus.emit('invalidate', { topic: 'images' });
      } catch (err) {
        throw toUserError(err, subject(ref));
      }
    },

    async push(ref) {
      const [repo, tag] = splitRef(ref);
      const registry = registryOfImage(ref);
      const auth = await creds.get(registry);
      const ac = new AbortController();
      let source: Readable;
      try {
        await docker.getImage(ref).inspect();
        source = (await docker.getImage(repo).push({ tag, abortSignal: ac.signal, ...(auth ? { authconfig: auth } : {}) } as object)) as unknown as Readable;
      } catch (err) {
        throw toUserError(err, subject(ref));
      }
      const agg = new PullProgressAggregator(ref, PUSH_FINISHED);
      const explain = (e: string | undefined): string | undefined => {
        if (!e) return e;
        if (/unauthorized|authentication required|denied|no basic auth/i.test(e)) {
          return `${registry} refused the push (${e}). ${auth ? `Signed in as ${auth.username}: check that this account may push to ${repo}.` : `Sign in to ${registry} first.`}`;
        }
        if (/http: server gave HTTP response to HTTPS client/i.test(e)) {
          return `${registry} speaks plain HTTP: add it to "insecure-registries" in Settings → Engine, then push again.`;
        }
        return e;
      };
      return followJsonJob({
        bus, streams, kind: 'push', source,
        agg: { apply: (m) => agg.apply(m as PullMessage), finish: (e) => agg.finish(e), get failed() { return agg.failed; } },
        progress: () => {
          const snap = agg.snapshot();
          if (snap.error) snap.error = explain(snap.error);
          return { kind: 'push', push: snap };
        },
        errorOf: () => explain(agg.snapshot().error),
        cancel: () => ac.abort(),
      });
    },

    async history(ref) {
      try {
        const image = docker.getImage(ref);
        const [info, steps] = await Promise.all([image.inspect(), image.history() as Promise<Array<{ Id: string; Created: number; CreatedBy: string; Tags: string[] | null; Size: number; Comment: string }>>]);
        return {
          ref,
          id: info.Id,
          rootLayers: info.RootFS?.Layers ?? [],
          os: info.Os,
          architecture: info.Architecture,
          steps: steps.map((s) => ({ id: s.Id, createdBy: s.CreatedBy, created: s.Created, size: s.Size, comment: s.Comment, tags: s.Tags ?? [] })),
        };
      } catch (err) {
        throw toUserError(err, subject(ref));
      }
    },

    async build(opts) {
      const body = await packBuildContext(opts.context, opts.dockerfile);
      const ac = new AbortController();
      let source: Readable;
      try {
        source = (await docker.buildImage(body as unknown as NodeJS.ReadableStream, {
          version: '2',
          dockerfile: opts.dockerfile.replace(/\\/g, '/'),
          nocache: opts.noCache,
          buildargs: opts.buildArgs,
          abortSignal: ac.signal,
          ...(opts.tag ? { t: opts.tag } : {}),
        } as Docker.ImageBuildOptions)) as unknown as Readable;
      } catch (err) {
        body.destroy();
        throw toUserError(err);
      }
      const agg = new BuildProgressAggregator(opts.tag);
      return followJsonJob({
        bus, streams, kind: 'build', source,
        agg,
        progress: () => ({ kind: 'build', build: agg.snapshot() }),
        errorOf: () => agg.snapshot().error,
        cancel: () => { ac.abort(); body.destroy(); },
        onDone: () => bus.emit('invalidate', { topic: 'images' }),
      });
    },
  };
}
