import { expect, type Locator, type Page } from '@playwright/test';
import { docker } from '../support/env.js';

export type SettingsTab = 'General' | 'Resources' | 'File sharing' | 'Docker Engine' | 'Virtualization' | 'Troubleshoot';

/** The Settings view as a user sees it: tabs, fields by their accessible names, the apply flow. */
export class SettingsPage {
  constructor(readonly page: Page) {}

  /** Goes to Settings through the app's own navigation. */
  async open(): Promise<void> {
    if (!/^https?:/.test(this.page.url())) await this.page.goto('/');
    await this.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await expect(this.page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
    await expect(this.tablist).toBeVisible({ timeout: 30_000 });
  }

  get tablist(): Locator {
    return this.page.getByRole('tablist', { name: 'Settings' });
  }

  tab(name: SettingsTab): Locator {
    return this.tablist.getByRole('tab', { name });
  }

  get panel(): Locator {
    return this.page.getByRole('tabpanel');
  }

  async selectTab(name: SettingsTab): Promise<void> {
    await this.tab(name).click();
    await expect(this.tab(name)).toHaveAttribute('aria-selected', 'true');
  }

  // --- Resources -------------------------------------------------------

  slider(label: 'CPUs' | 'Memory' | 'Swap' | 'Disk size'): Locator {
    return this.panel.getByRole('slider', { name: label, exact: true });
  }

  /** The number field next to a slider, e.g. "Memory (MiB)". */
  number(label: 'CPUs' | 'Memory' | 'Swap' | 'Disk size'): Locator {
    const unit = { CPUs: 'CPUs', Memory: 'MiB', Swap: 'MiB', 'Disk size': 'GiB' }[label];
    return this.panel.getByRole('spinbutton', { name: `${label} (${unit})` });
  }

  async value(label: 'CPUs' | 'Memory' | 'Swap' | 'Disk size'): Promise<number> {
    return Number(await this.number(label).inputValue());
  }

  async setNumber(label: 'CPUs' | 'Memory' | 'Swap' | 'Disk size', value: number): Promise<void> {
    await this.number(label).fill(String(value));
    await expect(this.slider(label)).toHaveValue(String(value));
  }

  // --- apply flow ------------------------------------------------------

  get applyButton(): Locator {
    return this.panel.getByRole('button', { name: /^Apply( & restart)?$/ });
  }

  /** The live plan under the form ("The VM restarts: …"). */
  get plan(): Locator {
    return this.panel.getByTestId('apply-plan');
  }

  get dialog(): Locator {
    return this.page.getByRole('dialog');
  }

  /** Clicks Apply & restart, checks the confirmation names `expectRestart`, confirms. */
  async applyAndConfirm(expectRestart: RegExp): Promise<void> {
    await this.applyButton.click();
    await expect(this.dialog).toBeVisible();
    await expect(this.dialog.getByTestId('confirm-plan')).toContainText(expectRestart);
    await this.dialog.getByRole('button', { name: 'Apply & restart' }).click();
    await expect(this.dialog).toHaveCount(0);
  }

  /** Waits for "Applied." after a restart (a TCG guest reboots slowly). */
  async waitApplied(timeout = 8 * 60_000): Promise<void> {
    await expect(this.panel.getByRole('status').filter({ hasText: /^Applied\./ })).toBeVisible({ timeout });
  }

  // --- Docker Engine ---------------------------------------------------

  get daemonJson(): Locator {
    return this.panel.getByRole('textbox', { name: 'daemon.json' });
  }

  get daemonJsonErrors(): Locator {
    return this.panel.getByRole('alert').filter({ has: this.page.getByRole('listitem') });
  }

  // --- File sharing ----------------------------------------------------

  get sharePath(): Locator {
    return this.panel.getByRole('textbox', { name: 'Add a host directory' });
  }

  async addShare(p: string): Promise<void> {
    await this.sharePath.fill(p);
    await this.panel.getByRole('button', { name: 'Add', exact: true }).click();
  }

  /** The Remove button of a shared directory. */
  removeShareButton(p: string): Locator {
    return this.panel.getByRole('button', { name: `Remove ${p}`, exact: true });
  }

  // --- File sharing › Synchronized folders ------------------------------

  get syncPath(): Locator {
    return this.panel.getByRole('textbox', { name: 'Folder to synchronize' });
  }

  async addSynced(p: string): Promise<void> {
    await this.syncPath.fill(p);
    await this.panel.getByRole('button', { name: 'Sync folder', exact: true }).click();
  }

  get syncedTable(): Locator {
    return this.panel.getByRole('table', { name: 'Synchronized folders' });
  }

  stopSyncingButton(p: string): Locator {
    return this.panel.getByRole('button', { name: `Stop syncing ${p}`, exact: true });
  }

  /** The table row of one synchronized folder (the one whose button stops syncing exactly it). */
  syncedRow(p: string): Locator {
    return this.syncedTable.getByRole('row').filter({ has: this.page.getByRole('button', { name: `Stop syncing ${p}`, exact: true }) });
  }
}

export interface DockerInfo {
  NCPU: number;
  MemTotal: number;
  Debug: boolean;
}

/** `docker info` with the host's real docker CLI through Wharf's socket (from the global setup). */
export async function dockerInfo(): Promise<DockerInfo> {
  return JSON.parse(await docker(['info', '--format', '{{json .}}'])) as DockerInfo;
}
