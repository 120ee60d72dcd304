import type Docker from 'dockerode';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { UserError } from '../errors.js';
import { TAR_END, tarFileHead } from '../util/tar.js';
import { toUserError } from './errors.js';

/**
 * Volumes are read and written through the archive API of a helper
 * container that mounts the volume at /v and is never started: the engine
 * mounts a stopped container's volumes for archive calls. Its image is one
 * empty directory, imported once from a tar the core writes itself, so no
 * registry and no busybox are needed. Both carry the label below, and
 * Wharf's lists leave them out.
 */
export const HELPER_LABEL = 'io.wharf.helper';
export const HELPER_IMAGE = 'wharf/volume-helper:1';
export const MOUNT = '/v';

async function ensureImage(docker: Docker): Promise<void> {
  if (await docker.getImage(HELPER_IMAGE).inspect().then(() => true, () => false)) return;
  const rootfs = Buffer.concat([tarFileHead('v/', 0, 0o755, new Date(0), '5'), TAR_END]);
  const res = (await docker.importImage(Readable.from([rootfs]) as unknown as NodeJS.ReadableStream, {
    repo: 'wharf/volume-helper', tag: '1', changes: [`LABEL ${HELPER_LABEL}=volume`, 'CMD ["/never-started"]'],
  } as object)) as unknown as NodeJS.ReadableStream;
  const text = await new Promise<string>((resolve, reject) => {
    let out = '';
    res.on('data', (d: Buffer) => { out += d.toString(); });
    res.once('end', () => resolve(out));
    res.once('error', reject);
  });
  if (/"error"/.test(text)) throw new UserError(`Could not create Wharf's volume helper image: ${text.trim().slice(0, 300)}`, 'helper');
}

export type WithVolume = <T>(volume: string, fn: (c: Docker.Container) => Promise<T>, opts?: { create?: boolean }) => Promise<T>;

/** Runs `fn` with a stopped container that mounts `volume` at /v, and removes the container afterwards. */
export function volumeHelper(docker: Docker): WithVolume {
  let imageReady: Promise<void> | undefined;
  return async (volume, fn, opts = {}) => {
    const exists = await docker.getVolume(volume).inspect().then(() => true, () => false);
    if (!exists && !opts.create) throw new UserError(`Volume '${volume}' not found.`, 'not-found');
    imageReady ??= ensureImage(docker).catch((err: unknown) => { imageReady = undefined; throw err; });
    await imageReady;
    let c: Docker.Container;
    try {
      c = await docker.createContainer({
        name: `wharf-volume-helper-${randomBytes(4).toString('hex')}`,
        Image: HELPER_IMAGE,
        Labels: { [HELPER_LABEL]: 'volume' },
        NetworkDisabled: true,
        HostConfig: { Mounts: [{ Type: 'volume', Source: volume, Target: MOUNT, ReadOnly: false }], NetworkMode: 'none' },
      });
    } catch (err) {
      // The image may have been removed behind our back: check again next time.
      imageReady = undefined;
      throw toUserError(err, { kind: 'volume', ref: volume });
    }
    try {
      return await fn(c);
    } finally {
      await c.remove({ force: true }).catch(() => undefined);
    }
  };
}
