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

export type ComposeFlavour = 'v2' | 'v1';

/**
 * Which compose this host has: `docker compose` v2 (Debian trixie's docker-compose), else
 * the standalone `docker-compose` v1 (Debian bookworm ships only 1.29). Both label their
 * containers com.docker.compose.project/service, which is all Wharf reads; only the
 * container names differ (web-1 against web_1).
 */
export async function composeFlavour(): Promise<ComposeFlavour | undefined> {
  try {
    const { stdout } = await run('docker', ['compose', 'version'], { timeout: 30_000 });
    if (/version v?2\./i.test(stdout)) return 'v2';
  } catch {}
  try {
    const { stdout } = await run('docker-compose', ['version', '--short'], { timeout: 30_000 });
    if (/^1\.2[5-9]\./.test(stdout.trim())) return 'v1';
  } catch {}
  return undefined;
}

/** The container compose names for `service` (replica 1). */
export function composeContainer(flavour: ComposeFlavour, project: string, service: string): string {
  return flavour === 'v2' ? `${project}-${service}-1` : `${project}_${service}_1`;
}

export async function compose(flavour: ComposeFlavour, dir: string, project: string, args: string[], timeout = 300_000): Promise<string> {
  const { dockerHost } = readState();
  const [cmd, pre] = flavour === 'v2' ? ['docker', ['compose']] : ['docker-compose', []];
  const { stdout, stderr } = await run(cmd, [...pre, '-p', project, ...args], {
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
