/**
 * Host paths in `POST /containers/create`, rewritten to where the guest sees
 * them (C:\src -> /mnt/c/src under WSL). The backend supplies the mapping; this
 * file knows only the API's shapes: HostConfig.Binds and HostConfig.Mounts.
 */
export type MapResult = { ok: true; path: string } | { ok: false; reason: string };
/**
 * Maps one host path to where the guest sees it. POSIX paths reach it too (a
 * synchronized folder sends them to its copy); a mapper with nothing to say
 * about one returns it as it is.
 */
export type HostPathMapper = (hostPath: string) => MapResult;

const DRIVE_START = /^(\\\\\?\\)?[A-Za-z]:/;
/** Docker's rule for a named volume (daemon/names): these are never paths. */
const VOLUME_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

export class BindPathError extends Error {}

/** "source:target[:mode]" where a Windows source has its own colon after the drive letter. */
function splitBind(spec: string): { source: string; rest: string } {
  const drive = DRIVE_START.exec(spec);
  const from = drive ? drive[0].length : 0;
  const colon = spec.indexOf(':', from);
  return colon < 0 ? { source: spec, rest: '' } : { source: spec.slice(0, colon), rest: spec.slice(colon) };
}

function mapSource(source: string, map: HostPathMapper, where: string): string {
  const r = map(source);
  if (!r.ok) throw new BindPathError(`${where}: cannot use the host path ${JSON.stringify(source)}: ${r.reason}`);
  return r.path;
}

/** Rewrites a parsed create body in place; throws BindPathError for a path the guest cannot see. */
export function rewriteCreateBody(body: unknown, map: HostPathMapper): boolean {
  const hc = (body as { HostConfig?: { Binds?: unknown; Mounts?: unknown } } | null)?.HostConfig;
  if (!hc || typeof hc !== 'object') return false;
  let changed = false;
  if (Array.isArray(hc.Binds)) {
    hc.Binds = hc.Binds.map((spec: unknown) => {
      if (typeof spec !== 'string') return spec;
      const { source, rest } = splitBind(spec);
      // A named volume ("data:/var/lib/x") is not a path.
      if (VOLUME_NAME.test(source)) return spec;
      const mapped = mapSource(source, map, `-v ${spec}`);
      if (mapped !== source) changed = true;
      return mapped + rest;
    });
  }
  if (Array.isArray(hc.Mounts)) {
    for (const m of hc.Mounts as Array<{ Type?: unknown; Source?: unknown }>) {
      if (!m || m.Type !== 'bind' || typeof m.Source !== 'string') continue;
      const mapped = mapSource(m.Source, map, `--mount source=${m.Source}`);
      if (mapped !== m.Source) { m.Source = mapped; changed = true; }
    }
  }
  return changed;
}
