import os from 'node:os';
import path from 'node:path';
import { windowsPipeName } from './windows-pipes.js';

/**
 * Everything Wharf keeps lives under $WHARF_HOME (default ~/.wharf), so tests use a temp dir.
 * Only generic files here: each backend names its own (vm/<backend>/paths.ts).
 */
export interface WharfPaths {
  home: string;
  settings: string;
  run: string;
  logs: string;
  disks: string;
  certs: string;
  dockerSocket: string;
  /** The core's own engine client: the same proxy, but neither counted as use by Resource Saver nor waking the VM. */
  coreDockerSocket: string;
  controlSocket: string;
  consoleLog: string;
  stateFile: string;
}

export function wharfHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.WHARF_HOME ? path.resolve(env.WHARF_HOME) : path.join(os.homedir(), '.wharf');
}

export function wharfCache(env: NodeJS.ProcessEnv = process.env): string {
  return env.WHARF_CACHE ? path.resolve(env.WHARF_CACHE) : path.join(os.homedir(), '.cache', 'wharf');
}

export function wharfPaths(home: string = wharfHome(), platform: NodeJS.Platform = process.platform): WharfPaths {
  const run = path.join(home, 'run');
  return {
    home,
    settings: path.join(home, 'settings.json'),
    run,
    logs: path.join(home, 'logs'),
    disks: path.join(home, 'disks'),
    certs: path.join(home, 'certs'),
    // Windows pipes share one machine-wide namespace: per-user, per-home names (windows-pipes.ts).
    dockerSocket: platform === 'win32' ? windowsPipeName('engine', home) : path.join(run, 'docker.sock'),
    coreDockerSocket: platform === 'win32' ? windowsPipeName('engine-core', home) : path.join(run, 'core-docker.sock'),
    controlSocket: platform === 'win32' ? windowsPipeName('control', home) : path.join(run, 'control.sock'),
    consoleLog: path.join(home, 'logs', 'console.log'),
    stateFile: path.join(run, 'vm-state.json'),
  };
}
