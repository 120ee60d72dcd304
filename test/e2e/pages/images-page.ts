import { expect, type Locator, type Page } from '@playwright/test';
import { AppShell } from './app-shell.js';

/** Images: the table, pulls with per-layer progress, the Run dialog, prune. */
export class ImagesPage {
  readonly shell: AppShell;
  constructor(readonly page: Page) {
    this.shell = new AppShell(page);
  }

  async open(): Promise<void> {
    if (!/^https?:/.test(this.page.url())) await this.shell.load('#/images');
    else await this.shell.go('Images');
    await this.shell.waitForEngineRunning();
    await expect(this.page.getByRole('heading', { level: 1, name: /Images/ })).toBeVisible();
  }

  get table(): Locator {
    return this.page.getByRole('table', { name: 'Images' });
  }

  /** The row for repo:tag (repository and tag are separate cells). */
  row(repo: string, tag: string): Locator {
    return this.table.getByRole('row').filter({ has: this.page.getByRole('button', { name: `Run ${repo}:${tag}` }) });
  }

  async pull(ref: string): Promise<void> {
    await this.page.getByRole('textbox', { name: 'Image to pull' }).fill(ref);
    await this.page.getByRole('button', { name: 'Pull', exact: true }).click();
  }

  pullCard(ref: string): Locator {
    return this.page.getByRole('article', { name: `Pull ${ref}` });
  }

  layerBars(ref: string): Locator {
    return this.pullCard(ref).getByRole('progressbar');
  }

  async openRunDialog(repo: string, tag: string): Promise<Locator> {
    await this.row(repo, tag).getByRole('button', { name: `Run ${repo}:${tag}` }).click();
    const dialog = this.page.getByRole('dialog', { name: `Run ${repo}:${tag}` });
    await expect(dialog).toBeVisible();
    return dialog;
  }
}

export function splitRef(ref: string): { repo: string; tag: string } {
  const i = ref.lastIndexOf(':');
  return i > ref.lastIndexOf('/') ? { repo: ref.slice(0, i), tag: ref.slice(i + 1) } : { repo: ref, tag: 'latest' };
}
