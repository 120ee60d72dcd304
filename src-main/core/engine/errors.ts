import { UserError, errorMessage } from '../errors.js';

/**
 * Docker API errors (dockerode rejects with `statusCode` and the engine's JSON
 * `{message}`) turned into UserErrors whose message says what happened and
 * what to do, in the user's terms rather than HTTP's.
 */
export type SubjectKind = 'container' | 'image' | 'volume' | 'network';

export interface Subject {
  kind: SubjectKind;
  /** The name or id as the user gave it. */
  ref: string;
}

export interface MapContext {
  /** Resolves a (possibly short) container id from an engine message to its name. */
  containerName?: (id: string) => string | undefined;
}

interface DockerishError {
  statusCode?: number;
  json?: unknown;
  code?: string;
  message?: string;
}

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOENT', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTCONN', 'ABORT_ERR']);

export function dockerStatus(err: unknown): number | undefined {
  const code = (err as DockerishError | null)?.statusCode;
  return typeof code === 'number' ? code : undefined;
}

/** The engine's own message, without dockerode's "(HTTP code …) reason - " prefix. */
export function engineMessage(err: unknown): string {
  const json = (err as DockerishError | null)?.json;
  if (json && typeof json === 'object' && typeof (json as { message?: unknown }).message === 'string') {
    return ((json as { message: string }).message).trim();
  }
  if (typeof json === 'string' && json.trim()) return json.trim();
  return errorMessage(err).replace(/^\(HTTP code \d+\)\s+[^-]*-\s*/, '').trim();
}

export function isEngineUnreachable(err: unknown): boolean {
  if (dockerStatus(err) !== undefined) return false;
  const e = err as DockerishError | null;
  if (e?.code && UNREACHABLE_CODES.has(e.code)) return true;
  return /socket hang up|connect ECONNREFUSED|ENOENT|EPIPE|timed? ?out/i.test(errorMessage(err));
}

/** 304: the engine says the container is already in the requested state. */
export function isNotModified(err: unknown): boolean {
  return dockerStatus(err) === 304;
}

/** The mTLS handshake with the engine failed (wrong or stale certificates). */
export function isTlsFailure(err: unknown): boolean {
  const code = (err as DockerishError | null)?.code ?? '';
  return /^(ERR_SSL_|ERR_TLS_|CERT_|UNABLE_TO_VERIFY|DEPTH_ZERO_SELF_SIGNED|SELF_SIGNED_CERT)/.test(code)
    || /SSL routines|alert bad certificate|certificate verify failed/i.test(errorMessage(err));
}

export const ENGINE_TLS_MESSAGE =
  'Wharf could not authenticate to the Docker engine (its TLS certificates do not match). Restart the engine with `wharf restart` or Settings → Troubleshoot → Restart the engine.';

const label: Record<SubjectKind, string> = { container: 'Container', image: 'Image', volume: 'Volume', network: 'Network' };

export const ENGINE_DOWN_MESSAGE =
  'The Docker engine is not reachable. Start it with `wharf start` or from the Wharf window, then try again.';

/** Maps any error from a dockerode call; non-Docker errors pass through unchanged. */
export function toUserError(err: unknown, subject?: Subject, ctx: MapContext = {}): Error {
  if (err instanceof UserError) return err;
  const status = dockerStatus(err);
  if (status === undefined) {
    if (isTlsFailure(err)) return new UserError(ENGINE_TLS_MESSAGE, 'engine-tls');
    if (isEngineUnreachable(err)) return new UserError(ENGINE_DOWN_MESSAGE, 'engine-down');
    return err instanceof Error ? err : new Error(String(err));
  }
  // The host-side proxy answers for the engine while the VM is down or booting.
  if (status === 502 || status === 503 || status === 504) return new UserError(ENGINE_DOWN_MESSAGE, 'engine-down');
  const msg = engineMessage(err);
  const name = (id: string): string => ctx.containerName?.(id) ?? id.slice(0, 12);
  const what = subject ? `${label[subject.kind]} '${subject.ref}'` : undefined;

  if (status === 404) {
    if (/no such image|reference does not exist/i.test(msg) && subject?.kind !== 'image') {
      const img = /No such image:\s*(\S+)/i.exec(msg)?.[1];
      return new UserError(`Image '${img ?? subject?.ref ?? ''}' is not available locally; pull it first.`, 'not-found');
    }
    if (/pull access denied|repository does not exist|may require 'docker login'/i.test(msg)) {
      return new UserError(`${what ?? 'The image'} was not found in the registry, or the registry needs a login.`, 'not-found');
    }
    if (/manifest unknown|not found: manifest/i.test(msg)) {
      return new UserError(`${what ?? 'The image'} was not found in the registry; check the name and tag.`, 'not-found');
    }
    if (what) return new UserError(`${what} not found.`, 'not-found');
    return new UserError(capitalize(msg), 'not-found');
  }

  // State conflicts come as 409 or (engine 26, unpause) 500.
  if (status === 409 || status === 500) {
    if (/already paused/i.test(msg)) return new UserError(`${what ?? 'The container'} is already paused.`, 'conflict');
    if (/is not paused/i.test(msg)) return new UserError(`${what ?? 'The container'} is not paused.`, 'conflict');
    if (/is paused/i.test(msg)) return new UserError(`${what ?? 'The container'} is paused; unpause it first.`, 'conflict');
    if (/is not running/i.test(msg)) return new UserError(`${what ?? 'The container'} is not running; start it first.`, 'conflict');
    if (/is restarting/i.test(msg)) return new UserError(`${what ?? 'The container'} is restarting; wait for it or stop it first.`, 'conflict');
  }

  if (status === 409) {
    if (/volume .* already exists/i.test(msg) && what) return new UserError(`${what} already exists.`, 'conflict');
    if (subject?.kind === 'image') {
      const running = /being used by running container (\w+)/i.exec(msg);
      if (running) {
        return new UserError(`Image ${subject.ref} is used by running container ${name(running[1]!)}; stop and remove it first.`, 'in-use');
      }
      const using = /container (\w+) is using its referenced image/i.exec(msg);
      if (using) {
        return new UserError(`Image ${subject.ref} is used by container ${name(using[1]!)}; stop and remove it first or use force.`, 'in-use');
      }
      if (/referenced in multiple repositories/i.test(msg)) {
        return new UserError(`Image ${subject.ref} has several tags; remove them one at a time or use force.`, 'in-use');
      }
    }
    if (subject?.kind === 'volume' && /in use/i.test(msg)) {
      const ids = /\[([^\]]*)\]/.exec(msg)?.[1]?.split(/[\s,]+/).filter(Boolean) ?? [];
      const users = ids.map(name).join(', ');
      return new UserError(`Volume '${subject.ref}' is in use${users ? ` by ${users}` : ''}; remove ${ids.length > 1 ? 'those containers' : 'that container'} first.`, 'in-use');
    }
    const taken = /container name "\/?([^"]+)" is already in use by container "(\w+)"/i.exec(msg);
    if (taken) {
      return new UserError(`The name '${taken[1]}' is already used by another container; remove that container or choose another name.`, 'conflict');
    }
    if (/running/i.test(msg) && /remov/i.test(msg)) {
      return new UserError(`${what ?? 'The container'} is running; stop it first or use force.`, 'conflict');
    }
    if (/removal .* already in progress/i.test(msg)) return new UserError(`${what ?? 'It'} is already being removed.`, 'conflict');
    return new UserError(capitalize(msg), 'conflict');
  }

  if (/port is already allocated|address already in use/i.test(msg)) {
    const port = /(?:Bind for|listen \w+) ([^\s:]*:\d+)/i.exec(msg)?.[1];
    return new UserError(`Port ${port ?? ''} is already in use on the host; choose another host port or stop what uses it.`.replace('Port  ', 'The port '), 'port-in-use');
  }
  if (subject?.kind === 'image' && /dial tcp|no such host|connection refused|i\/o timeout|TLS handshake|certificate/i.test(msg)) {
    return new UserError(`Could not reach the registry for ${subject.ref}: ${msg}`, 'registry-unreachable');
  }
  if (status === 400) return new UserError(capitalize(msg), 'invalid');
  if (status === 401 || status === 403) return new UserError(`The engine refused: ${msg}`, 'denied');
  return new UserError(`Docker engine error: ${msg || `HTTP ${status}`}`, 'engine');
}

function capitalize(s: string): string {
  return s ? s[0]!.toUpperCase() + s.slice(1) : s;
}
