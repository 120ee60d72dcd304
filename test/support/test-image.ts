import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { repoRoot, type WharfTestEnv } from './wharf-env.js';

/**
 * A test image FROM scratch around Debian's static busybox (no registry is
 * reachable), plus a static UDP echo server for the published-UDP test.
 */
export function prepareBusyboxContext(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wharf-img-'));
  fs.copyFileSync('/bin/busybox', path.join(dir, 'busybox'));
  fs.mkdirSync(path.join(dir, 'www'));
  fs.writeFileSync(path.join(dir, 'www', 'index.html'), 'hello from a wharf container\n');
  execFileSync('gcc', ['-static', '-O2', '-o', path.join(dir, 'udp-echo'), path.join(repoRoot, 'test/integration/fixtures/udp-echo.c')]);
  execFileSync('gcc', ['-static', '-O2', '-o', path.join(dir, 'inotify-watch'), path.join(repoRoot, 'test/integration/fixtures/inotify-watch.c')]);
  fs.writeFileSync(path.join(dir, 'Dockerfile'), [
    'FROM scratch',
    'COPY busybox /bin/busybox',
    'RUN ["/bin/busybox", "--install", "-s", "/bin"]',
    'COPY www /www',
    'COPY udp-echo /bin/udp-echo',
    'COPY inotify-watch /bin/inotify-watch',
    'CMD ["/bin/sh"]',
    '',
  ].join('\n'));
  return dir;
}

export async function buildBusyboxImage(env: WharfTestEnv, tag = 'wharf-test/busybox:1'): Promise<string> {
  const dir = prepareBusyboxContext();
  const r = await env.docker(['build', '-t', tag, dir], { timeoutMs: 300_000 });
  if (r.code !== 0) throw new Error(`docker build failed: ${r.stderr}\n${r.stdout}`);
  return tag;
}
