import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Page } from '@playwright/test';
import { readState, repoRoot } from './env.js';

const run = promisify(execFile);

/** The docker config the core writes to (global setup's private DOCKER_CONFIG). */
export function dockerConfigDir(): string {
  return path.join(readState().workDir, 'docker-config');
}

/** `docker compose` v2 through Wharf's socket, or undefined when this host has no compose v2. */
export async function composeAvailable(): Promise<boolean> {
  try {
    const { stdout } = await run('docker', ['compose', 'version'], { timeout: 30_000 });
    return /version v?2\./i.test(stdout);
  } catch {
    return false;
  }
}

export async function compose(dir: string, project: string, args: string[], timeout = 300_000): Promise<string> {
  const { dockerHost } = readState();
  const { stdout, stderr } = await run('docker', ['compose', '-p', project, ...args], {
    cwd: dir, env: { ...process.env, DOCKER_HOST: dockerHost, DOCKER_CONTEXT: '' }, timeout, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024,
  });
  return `${stdout}${stderr}`.trim();
}

/** Saves a screenshot of the page next to shell.spec.ts's, for looking at. */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = path.join(repoRoot, 'test-results', 'screenshots');
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}
