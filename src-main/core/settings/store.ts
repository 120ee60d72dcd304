import fs from 'node:fs/promises';
import path from 'node:path';
import { settingsSchema, type Settings } from '../contract/settings-schema.js';
import { errorMessage } from '../errors.js';
import { writeFileAtomic } from './atomic-write.js';
import { migrate } from './migrations.js';

export interface SettingsStoreOptions {
  /** Path of settings.json (WharfPaths.settings). */
  file: string;
  /** Host-derived defaults, used for a missing or corrupt file and by migrations. */
  defaults: Settings;
  /** Injected clock, so the backup name is predictable in tests. */
  now?: () => Date;
}

/** `settings.json.bak-2026-11-23T03-55-25.123Z`: ':' is not allowed in Windows file names. */
export function backupName(file: string, at: Date): string {
  return `${file}.bak-${at.toISOString().replace(/:/g, '-')}`;
}

function describeZodError(error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> }): string {
  return error.issues
    .map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message))
    .join('; ');
}

function clone(settings: Settings): Settings {
  return structuredClone(settings);
}

/**
 * The one owner of settings.json. Reads tolerate anything (a corrupt file is
 * moved aside and defaults are used, with a notice); writes are atomic and
 * serialized so a UI save and a CLI save cannot interleave.
 */
export class SettingsStore {
  private current: Settings;
  private readonly notes: string[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private readonly now: () => Date;

  constructor(private readonly opts: SettingsStoreOptions) {
    this.current = clone(opts.defaults);
    this.now = opts.now ?? (() => new Date());
  }

  get file(): string {
    return this.opts.file;
  }

  /** Reads, migrates and validates settings.json. Never throws for bad content. */
  async load(): Promise<Settings> {
    let text: string;
    try {
      text = await fs.readFile(this.opts.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        // First run: defaults in memory; the file appears on the first save.
        this.current = clone(this.opts.defaults);
        return this.get();
      }
      // A directory or an unreadable file in its place must not stop the app from starting.
      return this.recover(`it could not be read (${(err as NodeJS.ErrnoException).code ?? errorMessage(err)})`);
    }

    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      return this.recover(`it is not valid JSON (${errorMessage(err)})`);
    }

    let migrated;
    try {
      migrated = migrate(raw, { defaults: this.opts.defaults });
    } catch (err) {
      return this.recover(errorMessage(err));
    }
    const parsed = settingsSchema.safeParse(migrated.doc);
    if (!parsed.success) return this.recover(`it has invalid values (${describeZodError(parsed.error)})`);

    this.current = parsed.data;
    this.notes.push(...migrated.notes);
    if (migrated.from !== this.current.version) {
      // Persist the upgrade so every later read is a plain v-current read.
      // If that fails (read-only home), the migrated values still apply now.
      try {
        await this.enqueue(() => this.write(this.current));
      } catch (err) {
        this.notes.push(`Your settings were upgraded from version ${migrated.from} but could not be saved (${errorMessage(err)}); they will be saved with your next change.`);
      }
    }
    return this.get();
  }

  get(): Settings {
    return clone(this.current);
  }

  /** Notices for the UI and `wharf status`, e.g. a recovered corrupt file. */
  notices(): string[] {
    return [...this.notes];
  }

  /**
   * Validates against the schema and writes atomically. Host-bound checks
   * are validate.ts's job and must already have passed. On failure nothing
   * on disk or in memory changes.
   */
  save(next: Settings): Promise<Settings> {
    return this.update(async () => next);
  }

  /**
   * Read-modify-write under the store's lock: `change` sees the latest saved
   * settings and returns the next ones (or throws, and nothing is written).
   * This is what keeps a CLI `set` and a UI save from losing each other's keys.
   */
  update(change: (current: Settings) => Settings | Promise<Settings>): Promise<Settings> {
    return this.enqueue(async () => {
      const next = await change(this.get());
      const parsed = settingsSchema.safeParse(next);
      if (!parsed.success) throw new Error(`refusing to save invalid settings: ${describeZodError(parsed.error)}`);
      await this.write(parsed.data);
      this.current = parsed.data;
      return this.get();
    });
  }

  /** The host-derived defaults this store falls back to. */
  defaults(): Settings {
    return clone(this.opts.defaults);
  }

  /** Runs `fn` after every earlier save; callers use it for read-modify-write. */
  enqueue<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => {});
    return run;
  }

  private async write(settings: Settings): Promise<void> {
    await writeFileAtomic(this.opts.file, JSON.stringify(settings, null, 2) + '\n', 0o600);
  }

  private async recover(why: string): Promise<Settings> {
    const backup = backupName(this.opts.file, this.now());
    let moved = true;
    try {
      await fs.rename(this.opts.file, backup);
    } catch {
      moved = false;
    }
    this.current = clone(this.opts.defaults);
    const where = moved ? `it was moved to ${path.basename(backup)} in ${path.dirname(backup)}` : `it could not be moved aside and will be replaced on the next save`;
    this.notes.push(
      `Your settings file could not be used because ${why}; ${where}, and defaults are in use. ` +
      'Check your settings in Settings or with `wharf get`.',
    );
    return this.get();
  }
}
