import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '../errors.js';
import type { WharfPaths } from '../paths.js';

/**
 * The two destructive Troubleshoot actions. Both require the literal word
 * 'confirm' (the contract's schema checks it too; this is the second lock,
 * for callers that do not go through a transport).
 */

export function assertConfirmed(word: unknown, action: string): void {
  if (word !== 'confirm') {
    throw new UserError(`${action} deletes data and needs confirmation: pass the word 'confirm' (e.g. wharf reset confirm).`, 'not-confirmed');
  }
}

/** Removes every container, image and volume through `removeAll` (the engine's job); settings stay. */
export async function cleanData(confirm: unknown, removeAll: () => Promise<void>): Promise<void> {
  assertConfirmed(confirm, 'Clean data');
  await removeAll();
}

export interface FactoryResetOptions {
  paths: WharfPaths;
  /** Stops the VM first, so nothing holds the disk open. */
  beforeReset?: () => Promise<void>;
}

/** True when `child` is strictly inside `parent`. */
function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/**
 * Paths a factory reset removes: the VM disks, certificates, settings (and
 * their backups and temp files) and the run dir. Logs stay, because a reset
 * is often followed by a bug report. The docker context is the caller's.
 */
export async function factoryResetTargets(paths: WharfPaths): Promise<string[]> {
  const targets = [paths.disks, paths.certs, paths.run, paths.settings];
  const dir = path.dirname(paths.settings);
  const base = path.basename(paths.settings);
  try {
    for (const name of await fs.readdir(dir)) {
      if (name.startsWith(`${base}.bak-`) || name.startsWith(`.${base}.tmp-`)) targets.push(path.join(dir, name));
    }
  } catch {}
  return targets;
}

export async function factoryReset(confirm: unknown, opts: FactoryResetOptions): Promise<{ removed: string[] }> {
  assertConfirmed(confirm, 'Factory reset');
  const home = path.resolve(opts.paths.home);
  // A bad WHARF_HOME must never turn into `rm -rf ~` or `rm -rf /`.
  if (home === path.parse(home).root || home === path.resolve(os.homedir())) {
    throw new UserError(`Refusing to factory-reset: the Wharf home is ${home}, which is not a Wharf-only folder. Set WHARF_HOME to Wharf's own folder.`, 'unsafe-home');
  }
  const targets = await factoryResetTargets(opts.paths);
  for (const t of targets) {
    if (!isInside(path.resolve(t), home)) {
      throw new UserError(`Refusing to factory-reset: ${t} is outside the Wharf home ${home}.`, 'unsafe-home');
    }
  }
  await opts.beforeReset?.();
  const removed: string[] = [];
  for (const t of targets) {
    try {
      await fs.lstat(t);
    } catch {
      continue;
    }
    await fs.rm(t, { recursive: true, force: true });
    removed.push(t);
  }
  return { removed };
}
