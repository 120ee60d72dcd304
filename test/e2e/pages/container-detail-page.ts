import { expect, type Locator, type Page } from '@playwright/test';

export type DetailTab = 'Logs' | 'Inspect' | 'Stats' | 'Terminal';

/** One container: logs, inspect, stats and the exec terminal. */
export class ContainerDetailPage {
  constructor(readonly page: Page, readonly name: string) {}

  get tabs(): Locator {
    return this.page.getByRole('tablist', { name: 'Container details' });
  }

  tab(name: DetailTab): Locator {
    return this.tabs.getByRole('tab', { name });
  }

  async selectTab(name: DetailTab): Promise<void> {
    await this.tab(name).click();
    await expect(this.tab(name)).toHaveAttribute('aria-selected', 'true');
  }

  get logs(): Locator {
    return this.page.getByRole('log', { name: `Logs of ${this.name}` });
  }

  get logSearch(): Locator {
    return this.page.getByRole('searchbox', { name: 'Search logs' });
  }

  get followToggle(): Locator {
    return this.page.getByRole('button', { name: 'Follow' });
  }

  get timestampsToggle(): Locator {
    return this.page.getByRole('button', { name: 'Timestamps' });
  }

  get inspect(): Locator {
    return this.page.getByRole('region', { name: `Inspect output for ${this.name}` });
  }

  chart(label: 'CPU usage' | 'Memory usage'): Locator {
    return this.page.getByRole('img', { name: new RegExp(`^${label}`) });
  }

  get terminal(): Locator {
    return this.page.getByRole('textbox', { name: `Terminal in ${this.name}` });
  }

  /** Types a command into the exec terminal, key by key, and presses Enter. */
  async runInTerminal(command: string): Promise<void> {
    await expect(this.page.getByText(/^Connected\./)).toBeVisible({ timeout: 30_000 });
    await this.terminal.focus();
    await this.page.keyboard.type(command, { delay: 15 });
    await this.page.keyboard.press('Enter');
  }
}
