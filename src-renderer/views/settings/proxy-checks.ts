/**
 * Instant checks for the Proxies tab, so a typo is marked while typing. The
 * core checks again (src-main/core/settings/proxy-values.ts) and its message
 * wins; these only need to agree on what is obviously wrong.
 */
export function proxyUrlError(value: string): string | undefined {
  const v = value.trim();
  if (v === '') return undefined;
  if (/\s/.test(v)) return 'No spaces. Example: http://proxy.example.com:3128';
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    return 'Not a URL: write the scheme too, e.g. http://proxy.example.com:3128';
  }
  if (!['http:', 'https:', 'socks5:', 'socks5h:'].includes(url.protocol)) return 'Use http://, https:// or socks5://';
  if (!url.hostname) return 'The URL has no host name';
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) return 'Only scheme, host and port: no path or query';
  return undefined;
}

export function noProxyError(value: string): string | undefined {
  const bad = value.split(',').map((e) => e.trim()).filter((e) => e !== '' && /[\s/]/.test(e) && !/^[\d.]+\/\d{1,2}$/.test(e) && !/^[0-9A-Fa-f:[\]]+\/\d{1,3}$/.test(e));
  return bad.length ? `Not a host, .domain, IP or CIDR: ${bad.join(', ')}` : undefined;
}
