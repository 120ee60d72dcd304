import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from './env.js';

/**
 * Starts one more `wharf dashboard --print-url` for a home and resolves with it and its one-time URL.
 * `env` is added to this process's (the core it starts inherits it, e.g. a WSL stand-in's variables).
 */
export function startExtraDashboard(home: string, env: NodeJS.ProcessEnv = {}): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'wharf.mjs'), 'dashboard', '--print-url'], {
    env: { ...process.env, ...env, WHARF_HOME: home },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out);
      if (m) resolve({ child, url: m[1]! });
    });
    child.once('exit', (code) => reject(new Error(`dashboard exited ${code}: ${out}`)));
    setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`no URL: ${out}`)); }, 60_000);
  });
}
