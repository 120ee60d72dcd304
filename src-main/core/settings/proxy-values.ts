/**
 * Proxy settings as users type them (Settings → Resources → Proxies, `wharf set
 * httpProxy=…`): checked here, normalized, and turned into what dockerd and the
 * docker CLI read. '' means "no proxy".
 */

export const ENGINE_PROXY_KEYS = ['httpProxy', 'httpsProxy', 'noProxy'] as const;
export const CONTAINER_PROXY_KEYS = ['containerHttpProxy', 'containerHttpsProxy', 'containerNoProxy'] as const;
export type ProxyKey = (typeof ENGINE_PROXY_KEYS)[number] | (typeof CONTAINER_PROXY_KEYS)[number];

/** The schemes Go's net/http (dockerd) and the usual container tools accept in *_PROXY. */
const SCHEMES = ['http:', 'https:', 'socks5:', 'socks5h:'];

/** A proxy URL: '' or scheme://host[:port][/], no path or query. Returns the problem, if any. */
export function checkProxyUrl(key: string, value: unknown): string | undefined {
  if (typeof value !== 'string') return `${key} must be a proxy URL such as http://proxy.example.com:3128, or empty for none; got ${JSON.stringify(value)}.`;
  const v = value.trim();
  if (v === '') return undefined;
  const example = `Example: ${key}=http://proxy.example.com:3128`;
  if (/\s/.test(v)) return `${key} must not contain spaces; got ${JSON.stringify(value)}. ${example}.`;
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    return `${key} is not a URL: ${JSON.stringify(value)}. Write the scheme too. ${example}.`;
  }
  if (!SCHEMES.includes(url.protocol)) return `${key} must use http://, https:// or socks5://; got ${url.protocol}//. ${example}.`;
  if (url.hostname === '') return `${key} has no host name; got ${JSON.stringify(value)}. ${example}.`;
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    return `${key} must be only scheme, host and port (no path or query); got ${JSON.stringify(value)}. ${example}.`;
  }
  return undefined;
}

/** One NO_PROXY entry: *, a host or .domain (optionally :port), an IP or a CIDR. */
const NO_PROXY_ENTRY = /^(\*|\*?\.?[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*(:\d{1,5})?|\d{1,3}(\.\d{1,3}){3}(\/\d{1,2})?(:\d{1,5})?|\[?[0-9A-Fa-f:]+\]?(\/\d{1,3})?)$/;

export function checkNoProxy(key: string, value: unknown): string | undefined {
  if (typeof value !== 'string') return `${key} must be a comma-separated list such as localhost,.corp.example.com,10.0.0.0/8; got ${JSON.stringify(value)}.`;
  const bad = splitNoProxy(value).filter((e) => !NO_PROXY_ENTRY.test(e));
  if (bad.length) {
    return `${key} has ${bad.length === 1 ? 'an entry' : 'entries'} that ${bad.length === 1 ? 'is' : 'are'} not a host, .domain, IP or CIDR: ${bad.map((b) => JSON.stringify(b)).join(', ')}. Separate entries with commas, e.g. localhost,.corp.example.com,10.0.0.0/8.`;
  }
  return undefined;
}

function splitNoProxy(value: string): string[] {
  return value.split(',').map((e) => e.trim()).filter((e) => e !== '');
}

/** The saved form: trimmed URL, a no-proxy list without blanks or spaces. */
export function normalizeProxyValue(key: ProxyKey, value: string): string {
  return key === 'noProxy' || key === 'containerNoProxy' ? splitNoProxy(value).join(',') : value.trim();
}

/**
 * A proxy on the host's own loopback (a local cntlm or px, say) is not at
 * 127.0.0.1 inside the VM or a container; there the host is
 * host.docker.internal, which every Wharf guest resolves to the host.
 */
export function proxyForGuest(url: string): string {
  if (url === '') return '';
  try {
    const u = new URL(url);
    if (u.hostname === 'localhost' || u.hostname === '[::1]' || /^127\./.test(u.hostname)) {
      u.hostname = 'host.docker.internal';
      return u.toString().replace(/\/$/, '');
    }
  } catch {}
  return url;
}

export interface ProxyTriple {
  http: string;
  https: string;
  noProxy: string;
}

/** dockerd's environment for pulls: HTTP_PROXY, HTTPS_PROXY, NO_PROXY (only those set). */
export function engineProxyEnv(p: ProxyTriple): Record<string, string> {
  const env: Record<string, string> = {};
  if (p.http) env.HTTP_PROXY = proxyForGuest(p.http);
  if (p.https) env.HTTPS_PROXY = proxyForGuest(p.https);
  if (p.noProxy && (p.http || p.https)) env.NO_PROXY = p.noProxy;
  return env;
}

/** The docker CLI's config.json `proxies.default` block, or undefined for none. */
export function cliProxyConfig(p: ProxyTriple): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  if (p.http) out.httpProxy = proxyForGuest(p.http);
  if (p.https) out.httpsProxy = proxyForGuest(p.https);
  if (p.noProxy && (p.http || p.https)) out.noProxy = p.noProxy;
  return Object.keys(out).length ? out : undefined;
}
