import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const stateFile = path.join(repoRoot, 'test-results', 'e2e-state.json');
export const storageStateFile = path.join(repoRoot, 'test-results', 'e2e-storage-state.json');

/** What the global setup hands to the specs (also exported as env vars). */
export interface E2EState {
  home: string;
  baseURL: string;
  dockerHost: string;
  registry: string;
  /** Image the engine already has (docker import of busybox-static). */
  localImage: string;
  /** Image only the registry has: the pull test pulls it. */
  registryImage: string;
  dashboardPid?: number;
  registryPid?: number;
  workDir: string;
}

export function readState(): E2EState {
  return JSON.parse(fs.readFileSync(stateFile, 'utf8')) as E2EState;
}

/** The host's docker CLI, talking to Wharf's socket. */
export async function docker(args: string[], opts: { timeout?: number } = {}): Promise<string> {
  const { dockerHost } = readState();
  const { stdout } = await run('docker', args, {
    env: { ...process.env, DOCKER_HOST: dockerHost, DOCKER_CONTEXT: '' },
    timeout: opts.timeout ?? 120_000,
    // The CLI can outlive SIGTERM; a hung call must fail the test with its command line,
    // not leave the test to its overall timeout with no hint of which step hung.
    killSignal: 'SIGKILL',
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout.trim();
}

/** `docker ps -a` state of a container, or undefined when it does not exist. */
export async function containerState(name: string): Promise<string | undefined> {
  const out = await docker(['ps', '-a', '--filter', `name=^/?${name}$`, '--format', '{{.State}}']);
  return out.split('\n').filter(Boolean)[0];
}

export async function removeContainers(...names: string[]): Promise<void> {
  for (const n of names) await docker(['rm', '-f', n]).catch(() => undefined);
}

/** A unique, docker-valid name per test run. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
}
