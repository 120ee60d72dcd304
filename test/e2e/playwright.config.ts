import { defineConfig } from '@playwright/test';
import fs from 'node:fs';
import { stateFile, storageStateFile } from './support/env.js';

/**
 * E2E against the real core and VM, through the browser dashboard in
 * Debian's Chromium (Playwright's own browser download does not work here).
 * global-setup.ts boots everything and writes test-results/e2e-state.json;
 * workers start after it, so they read the dashboard URL from the env or that file.
 */
function baseURL(): string | undefined {
  if (process.env.WHARF_E2E_BASE_URL) return process.env.WHARF_E2E_BASE_URL;
  try {
    return (JSON.parse(fs.readFileSync(stateFile, 'utf8')) as { baseURL?: string }).baseURL;
  } catch {
    return undefined;
  }
}

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  globalSetup: './global-setup.ts',
  // One VM, one engine: tests share it, so run them one at a time.
  workers: 1,
  fullyParallel: false,
  timeout: 180_000,
  globalTimeout: 75 * 60_000,
  expect: { timeout: 20_000 },
  // One retry in CI: a real failure still fails twice, and a pass on retry is reported as flaky.
  retries: process.env.CI ? 1 : 0,
  reporter: [['list']],
  outputDir: '../../test-results/e2e',
  use: {
    baseURL: baseURL(),
    storageState: storageStateFile,
    headless: true,
    viewport: { width: 1280, height: 800 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    actionTimeout: 20_000,
    navigationTimeout: 30_000,
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
});
