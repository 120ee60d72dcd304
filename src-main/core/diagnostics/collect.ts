import fs from 'node:fs/promises';
import path from 'node:path';
import type { DiagnosticsResult, HostInfo, Notice } from '../contract/types.js';
import { errorMessage } from '../errors.js';
import type { WharfPaths } from '../paths.js';
import { writeFileAtomic } from '../settings/atomic-write.js';
import { redactText, redactValue } from './redact.js';
import { tarGz, type TarEntry } from '../util/tar.js';

export interface CollectInput {
  paths: Pick<WharfPaths, 'logs' | 'settings' | 'consoleLog'>;
  /** Where the .tar.gz goes (created if missing). */
  outDir: string;
  /** e.g. { wharf, qemu, kernel, docker, containerd, node, os }. */
  versions: Record<string, string | undefined>;
  /** `docker info` output, fetched by the caller (the engine may be down). */
  dockerInfo?: string;
  hostInfo?: HostInfo;
  notices?: Notice[];
  now?: () => Date;
  /** Per file, only the last this-many bytes are kept (logs can be huge). */
  maxFileBytes?: number;
}

const DEFAULT_MAX_FILE_BYTES = 4 * 1024 * 1024;

/** Never archived, whatever directory they turn up in. */
export function isPrivateKeyName(name: string): boolean {
  const base = path.basename(name).toLowerCase();
  return base.endsWith('.key') || base.endsWith('-key.pem') || base === 'key.pem' || /^id_(rsa|dsa|ecdsa|ed25519)$/.test(base);
}

function containsPrivateKey(text: string): boolean {
  return /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text);
}

function stamp(at: Date): string {
  return at.toISOString().replace(/[:.]/g, '-');
}

/** Reads the tail of a file so a 2 GiB log does not end up in memory. */
async function readTail(file: string, maxBytes: number): Promise<{ text: string; truncated: boolean }> {
  const handle = await fs.open(file, 'r');
  try {
    const { size } = await handle.stat();
    const start = Math.max(0, size - maxBytes);
    const buf = Buffer.alloc(size - start);
    await handle.read(buf, 0, buf.length, start);
    return { text: buf.toString('utf8'), truncated: start > 0 };
  } finally {
    await handle.close();
  }
}

/** Regular files under `dir`, relative paths; symlinks are skipped (one could point at ~/.ssh). */
async function listFiles(dir: string, skipped: string[], rel = ''): Promise<string[]> {
  let entries;
  try {
    entries = await fs.readdir(path.join(dir, rel), { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const relPath = rel ? `${rel}/${e.name}` : e.name;
    if (e.isSymbolicLink()) skipped.push(`logs/${relPath}: symbolic link, not followed`);
    else if (e.isDirectory()) out.push(...(await listFiles(dir, skipped, relPath)));
    else if (e.isFile()) out.push(relPath);
  }
  return out;
}

async function settingsEntry(file: string): Promise<string> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    return `settings.json could not be read: ${errorMessage(err)}\n`;
  }
  try {
    return JSON.stringify(redactValue(JSON.parse(text)), null, 2) + '\n';
  } catch {
    // A corrupt file is itself a clue; keep it, redacted as text.
    return redactText(text);
  }
}

/**
 * Collects logs, redacted settings, versions, the VM console log and
 * `docker info` into one .tar.gz (mode 0600) and returns its path and
 * contents. Private keys are never included, by name or by content.
 */
export async function collectDiagnostics(input: CollectInput): Promise<DiagnosticsResult> {
  const now = (input.now ?? (() => new Date()))();
  const maxBytes = input.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const root = `wharf-diagnostics-${stamp(now)}`;
  const entries: TarEntry[] = [];
  const skipped: string[] = [];
  const add = (name: string, text: string) => entries.push({ name: `${root}/${name}`, data: Buffer.from(text, 'utf8'), mtime: now });

  add('versions.json', JSON.stringify(input.versions, null, 2) + '\n');
  add('settings.json', await settingsEntry(input.paths.settings));
  if (input.hostInfo) add('host.json', JSON.stringify(input.hostInfo, null, 2) + '\n');
  if (input.notices?.length) add('notices.txt', input.notices.map((n) => `[${n.code}] ${n.message}`).join('\n') + '\n');
  add('docker-info.txt', input.dockerInfo !== undefined ? redactText(input.dockerInfo) : 'docker info was not available (is the engine running?)\n');

  const addFile = async (absolute: string, name: string) => {
    if (isPrivateKeyName(absolute)) {
      skipped.push(`${name}: private key, never included`);
      return;
    }
    let tail;
    try {
      tail = await readTail(absolute, maxBytes);
    } catch (err) {
      skipped.push(`${name}: ${errorMessage(err)}`);
      return;
    }
    if (containsPrivateKey(tail.text)) {
      skipped.push(`${name}: contains a private key, never included`);
      return;
    }
    const prefix = tail.truncated ? `[wharf: only the last ${maxBytes} bytes are included]\n` : '';
    add(name, prefix + redactText(tail.text));
  };

  const logs = path.resolve(input.paths.logs);
  for (const rel of await listFiles(logs, skipped)) await addFile(path.join(logs, rel), `logs/${rel}`);
  const consoleLog = path.resolve(input.paths.consoleLog);
  // The console log normally lives in logs/ and is already in; add it when it does not.
  if (path.dirname(consoleLog) !== logs && !consoleLog.startsWith(logs + path.sep)) {
    try {
      await fs.access(consoleLog);
      await addFile(consoleLog, 'console.log');
    } catch {
      skipped.push('console.log: not found (the VM has not run yet?)');
    }
  }

  const files = entries.map((e) => e.name.slice(root.length + 1));
  add('MANIFEST.txt', [
    `Wharf diagnostics collected ${now.toISOString()}.`,
    'Secrets (passwords, tokens, auth entries, credentials in URLs) are redacted; private keys are never included.',
    '', 'Included:', ...files.map((f) => `  ${f}`),
    '', 'Left out:', ...(skipped.length ? skipped.map((s) => `  ${s}`) : ['  nothing']),
    '',
  ].join('\n'));

  const archivePath = path.join(input.outDir, `${root}.tar.gz`);
  const data = await tarGz(entries);
  await writeFileAtomic(archivePath, data, 0o600);
  return { archivePath, bytes: data.length, files: [...files, 'MANIFEST.txt'] };
}
