import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BuildError, run } from './exec.js';
import { type Manifest, renderSourcesList } from './manifest.js';

/*
 * A private apt configuration per source set: its own lists, cache and an empty
 * dpkg status. Nothing is installed on (or read from) the host's package state,
 * so the host can be any Debian release and the guest another one.
 */

const KEYRING = '/usr/share/keyrings/debian-archive-keyring.gpg';

export interface Pkg {
  name: string;
  version: string;
  arch: string;
}

export class AptRoot {
  constructor(
    readonly dir: string,
    private readonly arch: string,
  ) {}

  private opts(): string[] {
    const d = this.dir;
    return [
      '-o', `Dir=${d}`,
      '-o', `Dir::State::status=${d}/var/lib/dpkg/status`,
      '-o', 'Dir::Etc::trusted=/etc/apt/trusted.gpg',
      '-o', 'Dir::Etc::TrustedParts=/etc/apt/trusted.gpg.d',
      '-o', `APT::Architecture=${this.arch}`,
      '-o', 'APT::Architectures::=',
      // Downloads land in a directory owned by whoever runs the build; the _apt
      // sandbox user could not write there.
      '-o', 'APT::Sandbox::User=root',
      '-o', 'Debug::NoLocking=1',
      '-q',
    ];
  }

  async init(m: Manifest, source: string): Promise<void> {
    const d = this.dir;
    for (const sub of ['etc/apt/preferences.d', 'etc/apt/apt.conf.d', 'var/lib/apt/lists/partial', 'var/cache/apt/archives/partial', 'var/lib/dpkg']) {
      await mkdir(path.join(d, sub), { recursive: true });
    }
    await writeFile(path.join(d, 'var/lib/dpkg/status'), '');
    try {
      await stat(KEYRING);
    } catch {
      throw new BuildError(`${KEYRING} not found (sudo apt-get install debian-archive-keyring)`);
    }
    await writeFile(path.join(d, 'etc/apt/sources.list'), renderSourcesList(m, source, KEYRING));
  }

  /** Refreshes the lists; offline rebuilds keep going with lists from a previous run. */
  async update(): Promise<'updated' | 'stale'> {
    try {
      await run('apt-get', [...this.opts(), 'update']);
      return 'updated';
    } catch (e) {
      const lists = await readdir(path.join(this.dir, 'var/lib/apt/lists')).catch(() => []);
      if (lists.some((f) => f.endsWith('_Packages'))) return 'stale';
      throw e;
    }
  }

  /** The full dependency closure (no Recommends) apt would install on an empty system. */
  async resolve(packages: readonly string[]): Promise<Pkg[]> {
    const { stdout } = await run('apt-get', [...this.opts(), '-s', '--no-install-recommends', 'install', ...packages]);
    return parseSimulatedInstall(stdout);
  }

  /**
   * Downloads into `debsDir`, skipping files already there, so a rebuild after a
   * script change needs no network at all.
   */
  async download(pkgs: readonly Pkg[], debsDir: string, onEach: (p: Pkg) => void): Promise<Map<string, string>> {
    await mkdir(debsDir, { recursive: true });
    const files = new Map<string, string>();
    const have = new Set(await readdir(debsDir));
    const missing: Pkg[] = [];
    for (const p of pkgs) {
      const file = debFileName(p);
      files.set(p.name, path.join(debsDir, file));
      if (have.has(file)) onEach(p);
      else missing.push(p);
    }
    // Download into a private temp dir and rename, so an interrupted download never
    // leaves a truncated .deb that a later build would trust.
    const tmp = path.join(debsDir, `.partial-${process.pid}`);
    await mkdir(tmp, { recursive: true });
    try {
      for (let i = 0; i < missing.length; i += 16) {
        const batch = missing.slice(i, i + 16);
        await run('apt-get', [...this.opts(), 'download', ...batch.map((p) => `${p.name}=${p.version}`)], { cwd: tmp });
        for (const p of batch) {
          const file = debFileName(p);
          await rename(path.join(tmp, file), path.join(debsDir, file)).catch(() => {
            throw new BuildError(`apt-get download did not produce ${file}`);
          });
          onEach(p);
        }
      }
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
    return files;
  }
}

/** Parses `apt-get -s install` output: "Inst name (version Origin [arch])". */
export function parseSimulatedInstall(stdout: string): Pkg[] {
  const out: Pkg[] = [];
  for (const line of stdout.split('\n')) {
    const m = /^Inst (\S+) (?:\[\S+\] )?\((\S+) .*\[([a-z0-9]+)\]\)/.exec(line);
    if (m) out.push({ name: m[1]!.replace(/:[a-z0-9]+$/, ''), version: m[2]!, arch: m[3]! });
  }
  return out;
}

/** The file name `apt-get download` writes: the epoch colon is URL-encoded. */
export function debFileName(p: Pkg): string {
  return `${p.name}_${p.version.replace(/:/g, '%3a')}_${p.arch}.deb`;
}
