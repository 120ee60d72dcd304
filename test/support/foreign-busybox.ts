import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AptRoot } from '../../vm-assets/builder/apt.js';
import { aptDir, debsDir, defaultCacheDir } from '../../vm-assets/builder/cache.js';
import { loadManifest } from '../../vm-assets/builder/manifest.js';
import { repoRoot, type WharfTestEnv } from './wharf-env.js';

/**
 * Debian's busybox-static for another architecture, fetched through the
 * builder's own apt root for that architecture (after `vm:build --arch arm64`
 * the .deb is already in the cache, so this needs no network).
 */
export async function busyboxFor(arch: 'amd64' | 'arm64'): Promise<string> {
  const cache = defaultCacheDir();
  const m = await loadManifest(path.join(repoRoot, 'vm-assets/wharf.yml'));
  const apt = new AptRoot(aptDir(cache, m.packages.source, arch), arch);
  await apt.init(m, m.packages.source);
  await apt.update();
  const [bb] = (await apt.resolve(['busybox-static'])).filter((p) => p.name === 'busybox-static');
  if (!bb) throw new Error(`busybox-static is not in ${m.packages.source} for ${arch}`);
  const deb = (await apt.download([bb], debsDir(cache), () => {})).get(bb.name)!;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `wharf-busybox-${arch}-`));
  execFileSync('dpkg-deb', ['-x', deb, dir]);
  return path.join(dir, 'usr/bin/busybox');
}

/**
 * A FROM scratch image around that busybox, tagged for its platform. No RUN step:
 * the image must not need the emulator to be built, only to run.
 */
export async function buildForeignBusyboxImage(env: WharfTestEnv, arch: 'amd64' | 'arm64', tag: string): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wharf-img-'));
  fs.copyFileSync(await busyboxFor(arch), path.join(dir, 'busybox'));
  fs.mkdirSync(path.join(dir, 'www'));
  fs.writeFileSync(path.join(dir, 'www', 'index.html'), `hello from an ${arch} container\n`);
  fs.writeFileSync(path.join(dir, 'Dockerfile'), ['FROM scratch', 'COPY busybox /bin/busybox', 'COPY www /www', 'ENTRYPOINT ["/bin/busybox"]', ''].join('\n'));
  const r = await env.docker(['build', '--platform', `linux/${arch}`, '-t', tag, dir], { timeoutMs: 300_000 });
  if (r.code !== 0) throw new Error(`docker build --platform linux/${arch} failed: ${r.stderr}\n${r.stdout}`);
  return tag;
}
