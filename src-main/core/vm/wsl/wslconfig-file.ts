import fs from 'node:fs/promises';
import path from 'node:path';
import type { HostWideResources, HostWideWriteResult } from '../../contract/types.js';
import type { HostWideResourcesControl, HostWideValues } from '../backend.js';
import { writeFileAtomic } from '../../settings/atomic-write.js';
import { UserError } from '../../errors.js';
import { checkWslConfigValues, formatWslSize, mergeWslConfig, readWslConfig } from './wslconfig-merge.js';

/**
 * Where WSL reads its VM-wide settings. WHARF_WSLCONFIG is for tests (like
 * WHARF_WSL_EXE): it lets the stand-in's runs write a file in a temp folder.
 * Without it, only Windows has one.
 */
export function wslConfigPath(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string | undefined {
  if (env.WHARF_WSLCONFIG) return env.WHARF_WSLCONFIG;
  if (platform !== 'win32') return undefined;
  const profile = env.USERPROFILE;
  return profile ? path.win32.join(profile, '.wslconfig') : undefined;
}

const SHARED_WITH = 'every WSL 2 distribution on this computer, not only Wharf';
/**
 * Honest: WSL applies .wslconfig when its VM starts again, after every distro
 * has stopped (learn.microsoft.com/windows/wsl/wsl-config, "the 8 second
 * rule"), and Wharf never stops the user's other distros.
 */
export const TAKES_EFFECT = 'WSL applies .wslconfig only when its VM starts again. Wharf never runs wsl --shutdown, which would stop your other distributions too. '
  + 'To apply the values: stop Wharf and your other WSL distributions (wsl --list --running then shows none), or run wsl --shutdown yourself; then start Wharf.';

interface Decoded {
  text: string;
  encoding: 'utf8' | 'utf16le';
}

/** Notepad saves UTF-8 (with or without a BOM) or "Unicode" (UTF-16LE with a BOM); keep whichever it was. */
function decode(buf: Buffer): Decoded {
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return { text: buf.subarray(2).toString('utf16le').replace(/^/, '\uFEFF'), encoding: 'utf16le' };
  return { text: buf.toString('utf8'), encoding: 'utf8' };
}

function encode(text: string, encoding: Decoded['encoding']): Buffer {
  if (encoding === 'utf16le') return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text.replace(/^\uFEFF/, ''), 'utf16le')]);
  return Buffer.from(text, 'utf8');
}

function stamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/**
 * The .wslconfig as Settings → Resources shows and (with consent) changes it.
 * Writes are atomic, and a copy of the previous file is written next to it
 * first (`.wslconfig.wharf-backup-<time>`), so nothing the user had is lost.
 */
export class WslConfigFile implements HostWideResourcesControl {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly file: string, private readonly now: () => Date = () => new Date()) {}

  async read(): Promise<HostWideResources> {
    const buf = await this.readBytes();
    const current = buf ? readWslConfig(decode(buf).text) : {};
    return {
      file: this.file,
      exists: buf !== undefined,
      sharedWith: SHARED_WITH,
      current: { cpus: current.processors, memory: current.memory, swap: current.swap },
      takesEffect: TAKES_EFFECT,
    };
  }

  write(values: HostWideValues, opts: { consent: boolean }): Promise<HostWideWriteResult> {
    const run = this.queue.then(() => this.writeNow(values, opts));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async writeNow(values: HostWideValues, opts: { consent: boolean }): Promise<HostWideWriteResult> {
    if (opts.consent !== true) {
      throw new UserError(`Nothing was written: ${this.file} applies to ${SHARED_WITH}, so Wharf changes it only when you agree (tick the box in Settings → Resources, or pass --host-wide to \`wharf set\`).`, 'consent-required');
    }
    const v = { processors: values.cpus, memoryMiB: values.memoryMiB, swapMiB: values.swapMiB };
    const errors = checkWslConfigValues(v);
    if (errors.length) throw new UserError(`Nothing was written to ${this.file}: ${errors.join('; ')}.`, 'invalid-settings');
    const written = { cpus: String(v.processors), memory: formatWslSize(v.memoryMiB), swap: formatWslSize(v.swapMiB) };

    const target = await fs.realpath(this.file).catch(() => this.file);
    const before = await this.readBytes(target);
    const decoded = before ? decode(before) : { text: '', encoding: 'utf8' as const };
    const next = encode(mergeWslConfig(decoded.text, v), decoded.encoding);
    if (before && next.equals(before)) return { file: this.file, changed: false, written, takesEffect: TAKES_EFFECT };

    const mode = before ? (await fs.stat(target)).mode & 0o777 : 0o644;
    let backup: string | undefined;
    if (before) {
      backup = `${target}.wharf-backup-${stamp(this.now())}`;
      await writeFileAtomic(backup, before, mode);
    }
    await writeFileAtomic(target, next, mode);
    return { file: this.file, ...(backup ? { backup } : {}), changed: true, written, takesEffect: TAKES_EFFECT };
  }

  private async readBytes(file = this.file): Promise<Buffer | undefined> {
    try {
      return await fs.readFile(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new UserError(`Cannot read ${file}: ${(err as Error).message}`, 'host-wide-unreadable');
    }
  }
}
