import { expect, type Locator, type Page } from '@playwright/test';
import { AppShell } from './app-shell.js';

export class VolumesPage {
  readonly shell: AppShell;
  constructor(readonly page: Page) {
    this.shell = new AppShell(page);
  }

  async open(): Promise<void> {
    if (!/^https?:/.test(this.page.url())) await this.shell.load('#/volumes');
    else await this.shell.go('Volumes');
    await this.shell.waitForEngineRunning();
    await expect(this.page.getByRole('heading', { level: 1, name: /Volumes/ })).toBeVisible();
  }

  get table(): Locator {
    return this.page.getByRole('table', { name: 'Volumes' });
  }

  row(name: string): Locator {
    return this.table.getByRole('row').filter({ has: this.page.getByRole('button', { name: `Delete ${name}`, exact: true }) });
  }

  async create(name: string): Promise<void> {
    await this.page.getByRole('textbox', { name: 'New volume name' }).fill(name);
    await this.page.getByRole('button', { name: 'Create', exact: true }).click();
  }

  async remove(name: string): Promise<void> {
    await this.row(name).getByRole('button', { name: `Delete ${name}`, exact: true }).click();
    await this.shell.confirm('Delete');
  }
}
