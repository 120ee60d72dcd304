import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import { DashboardServer } from '../../core/transports/dashboard-server.js';
import { RevocationWatch, requestRevocation } from '../../core/transports/dashboard-revocation.js';
import type { WharfPaths } from '../../core/paths.js';

/** The checkout root: the nearest folder with a package.json (from src-main/ under tsx or the out/cli bundle). */
function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

export const RENDERER_DIR = path.join(repoRoot(), 'out', 'renderer');

/** Serves the dashboard until interrupted; prints the one-time URL. */
export async function dashboard(paths: WharfPaths, opts: { port?: number; open: boolean; revoke?: boolean }): Promise<void> {
  const runDir = paths.run;
  if (opts.revoke) return revoke(runDir);
  const server = new DashboardServer({ staticDir: process.env.WHARF_RENDERER_DIR ?? RENDERER_DIR, controlSocket: paths.controlSocket, port: opts.port });
  const { url, port } = await server.listen();
  const watch = new RevocationWatch(runDir, () => server.revokeAll());
  await watch.start(port);
  process.stdout.write(`Wharf dashboard: ${url}\n(one-time link; it signs this browser in. Ctrl-C stops the dashboard.)\n`);
  if (opts.open) {
    const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
    spawn(opener, [url], { stdio: 'ignore', detached: true }).on('error', () => undefined).unref();
  }
  // SIGUSR1 mints another one-time link (tests and extra browsers use it).
  process.on('SIGUSR1', () => process.stdout.write(`Wharf dashboard: ${server.loginUrl()}\n`));
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await watch.stop();
  await server.close();
}

async function revoke(runDir: string): Promise<void> {
  const outcome = await requestRevocation(runDir);
  if (outcome.kind === 'none-running') {
    process.stdout.write('No dashboard is running, so no session is open (sessions end when the dashboard stops).\n');
  } else if (outcome.kind === 'revoked') {
    process.stdout.write(`Ended ${outcome.sessions} dashboard session(s); unused links no longer work. Run \`wharf dashboard\` for a new link.\n`);
  } else {
    const pids = outcome.pids.join(', ');
    throw new Error(`The dashboard (pid ${pids}) did not answer the revocation within 5 s. Stop it (Ctrl-C, or kill ${pids}): its sessions end with it.`);
  }
}
