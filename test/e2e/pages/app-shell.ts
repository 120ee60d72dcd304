import { expect, type Locator, type Page } from '@playwright/test';

export type View = 'Containers' | 'Images' | 'Volumes' | 'Networks' | 'Settings';

/** The frame around every view: sidebar navigation, engine status bar, banners, dialogs. */
export class AppShell {
  constructor(readonly page: Page) {}

  /** Opens the dashboard (baseURL; the session cookie comes from the global setup). */
  async load(hash = '#/containers'): Promise<void> {
    await this.page.goto(`/${hash}`);
    await expect(this.nav).toBeVisible();
  }

  get nav(): Locator {
    return this.page.getByRole('navigation', { name: 'Main' });
  }

  navLink(view: View): Locator {
    return this.nav.getByRole('link', { name: view });
  }

  async go(view: View): Promise<void> {
    await this.navLink(view).click();
    await expect(this.navLink(view)).toHaveAttribute('aria-current', 'page');
  }

  get statusBar(): Locator {
    return this.page.getByRole('contentinfo', { name: 'Engine status' });
  }

  get engineState(): Locator {
    return this.statusBar.getByTestId('engine-state');
  }

  /** Waits for the engine to report running (a Settings apply may have restarted it). */
  async waitForEngineRunning(timeout = 10 * 60_000): Promise<void> {
    await expect(this.engineState).toHaveText(/Engine running/, { timeout });
  }

  get dialog(): Locator {
    return this.page.getByRole('dialog');
  }

  /** Answers the confirmation dialog with its confirm button (e.g. "Delete"). */
  async confirm(button: string | RegExp): Promise<void> {
    await expect(this.dialog).toBeVisible();
    await this.dialog.getByRole('button', { name: button }).click();
    await expect(this.dialog).toBeHidden();
  }

  /** The app-wide banner only: a view's own error box may quote the same words. */
  get connectionLost(): Locator {
    return this.page.getByRole('alert').filter({ hasText: /Lost the connection to Wharf.*still running\?/ });
  }

  /** Error toasts raised by failed actions. */
  get errorToasts(): Locator {
    return this.page.locator('.toast.error');
  }
}
