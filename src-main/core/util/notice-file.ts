import fs from 'node:fs/promises';
import type { Notice, NoticeCode } from '../contract/types.js';

/** Tags plain messages from one source with that source's code. */
export function coded(code: NoticeCode, messages: readonly string[]): Notice[] {
  return messages.map((message) => ({ code, message }));
}

/**
 * Notices that must outlive the process that raised them (a headless core
 * exits when idle): a recovered settings file is reported until the user
 * saves settings again.
 */
export class NoticeFile {
  private notices: string[] = [];

  constructor(private readonly file: string) {}

  async load(extra: string[]): Promise<void> {
    try {
      const parsed = JSON.parse(await fs.readFile(this.file, 'utf8')) as unknown;
      this.notices = Array.isArray(parsed) ? parsed.filter((n): n is string => typeof n === 'string') : [];
    } catch {
      this.notices = [];
    }
    const before = this.notices.length;
    for (const n of extra) if (!this.notices.includes(n)) this.notices.push(n);
    if (this.notices.length !== before) await this.save();
  }

  list(): string[] {
    return [...this.notices];
  }

  async clear(): Promise<void> {
    if (this.notices.length === 0) return;
    this.notices = [];
    await fs.rm(this.file, { force: true });
  }

  private async save(): Promise<void> {
    const tmp = `${this.file}.tmp`;
    await fs.writeFile(tmp, JSON.stringify(this.notices), { mode: 0o600 });
    await fs.rename(tmp, this.file);
  }
}
