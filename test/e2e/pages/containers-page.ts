import { expect, type Locator, type Page } from '@playwright/test';
import { AppShell } from './app-shell.js';

export type RowAction = 'Start' | 'Stop' | 'Restart' | 'Pause' | 'Unpause' | 'Delete';

/** The Containers list: a table grouped by compose project, with row and bulk actions. */
export class ContainersPage {
  readonly shell: AppShell;
  constructor(readonly page: Page) {
    this.shell = new AppShell(page);
  }

  async open(): Promise<void> {
    if (!/^https?:/.test(this.page.url())) await this.shell.load('#/containers');
    else await this.shell.go('Containers');
    await this.shell.waitForEngineRunning();
    await expect(this.page.getByRole('heading', { level: 1, name: /Containers/ })).toBeVisible();
  }

  get table(): Locator {
    return this.page.getByRole('table', { name: 'Containers' });
  }

  /** The row of one container, found by its name link. */
  row(name: string): Locator {
    return this.table.getByRole('row').filter({ has: this.page.getByRole('link', { name, exact: true }) });
  }

  groupHeader(project: string): Locator {
    return this.table.getByRole('row').filter({ has: this.page.getByRole('button', { name: project, exact: true }) });
  }

  state(name: string): Locator {
    return this.row(name).locator('.badge');
  }

  async action(name: string, action: RowAction): Promise<void> {
    await this.row(name).getByRole('button', { name: `${action} ${name}` }).click();
  }

  async remove(name: string): Promise<void> {
    await this.action(name, 'Delete');
    await this.shell.confirm('Delete');
  }

  async select(name: string): Promise<void> {
    await this.row(name).getByRole('checkbox', { name: `Select ${name}` }).check();
  }

  bulk(label: 'Start selected' | 'Stop selected' | 'Delete selected'): Locator {
    return this.page.getByRole('button', { name: label });
  }

  get search(): Locator {
    return this.page.getByRole('searchbox', { name: 'Search containers' });
  }

  get stateFilter(): Locator {
    return this.page.getByRole('combobox', { name: 'Filter by state' });
  }

  async openDetail(name: string): Promise<void> {
    await this.row(name).getByRole('link', { name, exact: true }).click();
    await expect(this.page.getByRole('heading', { level: 1, name })).toBeVisible();
  }
}
