/** Human-readable formatting shared by the views. Pure functions, unit-tested. */

export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined || bytes < 0 || !Number.isFinite(bytes)) return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${units[unit]}`;
}

/** Memory as docker stats shows it: binary units. */
export function formatMiB(bytes: number | undefined): string {
  if (bytes === undefined || bytes < 0 || !Number.isFinite(bytes)) return '—';
  const mib = bytes / (1024 * 1024);
  if (mib >= 1024) return `${(mib / 1024).toFixed(2)} GiB`;
  return `${mib >= 100 ? mib.toFixed(0) : mib.toFixed(1)} MiB`;
}

export function formatPercent(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '—';
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)}%`;
}

/** `created` from docker is seconds since epoch. */
export function formatRelative(epochSeconds: number | undefined, now: number = Date.now()): string {
  if (!epochSeconds) return '—';
  const seconds = Math.max(0, Math.round(now / 1000 - epochSeconds));
  if (seconds < 60) return 'just now';
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? '' : 's'} ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} hour${hours === 1 ? '' : 's'} ago`;
  const days = Math.floor(hours / 24);
  if (days < 60) return `${days} day${days === 1 ? '' : 's'} ago`;
  const months = Math.floor(days / 30);
  if (months < 24) return `${months} months ago`;
  return `${Math.floor(days / 365)} years ago`;
}

export function shortId(id: string): string {
  const bare = id.startsWith('sha256:') ? id.slice(7) : id;
  return bare.slice(0, 12);
}

/** Parses "8080:80", "127.0.0.1:8080:80/udp" or "8080:80/tcp" lists (comma or newline separated). */
export interface ParsedPort { hostIp?: string; hostPort: number; containerPort: number; protocol: 'tcp' | 'udp' }

export function parsePorts(text: string): { ports: ParsedPort[]; errors: string[] } {
  const ports: ParsedPort[] = [];
  const errors: string[] = [];
  for (const raw of text.split(/[\n,]/)) {
    const entry = raw.trim();
    if (!entry) continue;
    const m = /^(?:(\d{1,3}(?:\.\d{1,3}){3}):)?(\d{1,5}):(\d{1,5})(?:\/(tcp|udp))?$/i.exec(entry);
    const hostPort = m ? Number(m[2]) : NaN;
    const containerPort = m ? Number(m[3]) : NaN;
    if (!m || !inPortRange(hostPort) || !inPortRange(containerPort)) {
      errors.push(`"${entry}" is not a port mapping like 8080:80 or 8080:80/udp`);
      continue;
    }
    const port: ParsedPort = { hostPort, containerPort, protocol: (m[4]?.toLowerCase() as 'tcp' | 'udp' | undefined) ?? 'tcp' };
    if (m[1]) port.hostIp = m[1];
    ports.push(port);
  }
  return { ports, errors };
}

function inPortRange(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= 65535;
}

export function parseEnv(text: string): { env: string[]; errors: string[] } {
  const env: string[] = [];
  const errors: string[] = [];
  for (const raw of text.split('\n')) {
    const entry = raw.trim();
    if (!entry || entry.startsWith('#')) continue;
    if (!/^[^=\s]+=/.test(entry)) errors.push(`"${entry}" should look like KEY=value`);
    else env.push(entry);
  }
  return { env, errors };
}

export interface ParsedVolume { source: string; target: string; readOnly: boolean }

/** "data:/var/lib/data", "/host/path:/in/container:ro", one per line. */
export function parseVolumes(text: string): { volumes: ParsedVolume[]; errors: string[] } {
  const volumes: ParsedVolume[] = [];
  const errors: string[] = [];
  for (const raw of text.split('\n')) {
    const entry = raw.trim();
    if (!entry) continue;
    const parts = entry.split(':');
    let readOnly = false;
    if (parts.length === 3 && (parts[2] === 'ro' || parts[2] === 'rw')) {
      readOnly = parts[2] === 'ro';
      parts.pop();
    }
    const [source, target] = parts;
    if (parts.length !== 2 || !source || !target || !target.startsWith('/')) {
      errors.push(`"${entry}" should look like volume:/path or /host/path:/path[:ro]`);
      continue;
    }
    volumes.push({ source, target, readOnly });
  }
  return { volumes, errors };
}
