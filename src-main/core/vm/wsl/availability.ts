import type { HostInfo } from '../../contract/types.js';
import { WslDriver } from './driver.js';
import { guidance } from './guidance.js';

type BackendRow = HostInfo['backends'][number];

/**
 * wsl.exe, or the test stand-in that WHARF_WSL_EXE names. The stand-in is what
 * lets a Linux host run this backend; without it WSL exists only on Windows.
 */
export function wslExecutable(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string | undefined {
  if (env.WHARF_WSL_EXE) return env.WHARF_WSL_EXE;
  return platform === 'win32' ? 'wsl.exe' : undefined;
}

const cache = new Map<string, { at: number; row: BackendRow }>();
/** Settings asks often; wsl.exe --version takes a while to answer on a cold WSL. */
const CACHE_MS = 10_000;

export async function probeWsl(platform: NodeJS.Platform, env: NodeJS.ProcessEnv = process.env): Promise<BackendRow> {
  const exe = wslExecutable(platform, env);
  if (!exe) return { name: 'wsl', label: 'WSL 2', available: false, reason: 'WSL 2 exists only on Windows.' };
  const hit = cache.get(exe);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.row;
  const { problem } = await new WslDriver({ exe, env }).check().catch((e: Error) => ({ problem: { kind: 'failed' as const, words: e.message } }));
  const row: BackendRow = problem ? { name: 'wsl', label: 'WSL 2', available: false, reason: guidance(problem) } : { name: 'wsl', label: 'WSL 2', available: true };
  cache.set(exe, { at: Date.now(), row });
  return row;
}
