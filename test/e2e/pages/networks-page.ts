import { expect, type Locator, type Page } from '@playwright/test';
import { AppShell } from './app-shell.js';

export class NetworksPage {
  readonly shell: AppShell;
  constructor(readonly page: Page) {
    this.shell = new AppShell(page);
  }

  async open(): Promise<void> {
    if (!/^https?:/.test(this.page.url())) await this.shell.load('#/networks');
    else await this.shell.go('Networks');
    await this.shell.waitForEngineRunning();
    await expect(this.page.getByRole('heading', { level: 1, name: /Networks/ })).toBeVisible();
  }

  get table(): Locator {
    return this.page.getByRole('table', { name: 'Networks' });
  }

  row(name: string): Locator {
    return this.table.locator(`tr[data-network="${name}"]`);
  }

  async create(name: string, subnet?: string): Promise<void> {
    await this.page.getByRole('textbox', { name: 'New network name' }).fill(name);
    if (subnet) await this.page.getByRole('textbox', { name: 'Subnet (optional)' }).fill(subnet);
    await this.page.getByRole('button', { name: 'Create', exact: true }).click();
  }

  async remove(name: string): Promise<void> {
    await this.row(name).getByRole('button', { name: `Delete network ${name}` }).click();
    await this.shell.confirm('Delete');
  }
}
