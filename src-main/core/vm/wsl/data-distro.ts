import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import type { WslDriver } from './driver.js';
import { DATA_DISTRO, DATA_MOUNT } from './paths.js';

/**
 * Bind-mounts the data distro's /data at /mnt/wsl/wharf-data, where the engine
 * distro finds it, and keeps a process in the data distro so WSL does not stop
 * it as idle (Rancher Desktop does the same). Resolves once the mount is up.
 */
export function holdDataDistro(driver: WslDriver, log: (line: string) => void): Promise<ChildProcessWithoutNullStreams> {
  const script = [
    'mkdir -p "$1"',
    'grep -q " $1 " /proc/mounts || mount --bind /data "$1" || exit 1',
    'echo WHARF-DATA-MOUNTED',
    'while :; do sleep 3600; done',
  ].join('\n');
  const child = driver.spawnExec(DATA_DISTRO, ['/bin/sh', '-c', script, 'sh', DATA_MOUNT]);
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => { child.kill(); reject(new Error(`${DATA_DISTRO} did not mount its data within 60 s: ${out.trim()}`)); }, 60_000);
    const onData = (d: Buffer) => {
      out += d.toString('utf8');
      if (out.includes('WHARF-DATA-MOUNTED')) { clearTimeout(timer); resolve(child); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (d: Buffer) => { log(`[${DATA_DISTRO}] ${d.toString('utf8').trim()}`); out += d.toString('utf8'); });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`${DATA_DISTRO} exited (code ${code}) before mounting its data: ${out.trim()}`)); });
  });
}

/** Unmounts explicitly (a mount under /mnt/wsl outlives the distro that made it), then stops the distro. */
export async function releaseDataDistro(driver: WslDriver, holder: ChildProcessWithoutNullStreams | undefined): Promise<void> {
  await driver.exec(DATA_DISTRO, ['/bin/sh', '-c', `grep -q " ${DATA_MOUNT} " /proc/mounts && umount ${DATA_MOUNT}; true`], { timeoutMs: 30_000 }).catch(() => undefined);
  await driver.terminate(DATA_DISTRO);
  holder?.kill();
}
