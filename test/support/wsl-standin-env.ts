import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot, WharfTestEnv } from './wharf-env.js';

export const standinExe = path.join(repoRoot, 'test/support/wsl-standin/wsl.exe');

/**
 * A WharfTestEnv whose WSL 2 backend talks to the stand-in wsl.exe: its own
 * stand-in state, and a folder that appears as the C: drive (/mnt/c).
 */
export class WslTestEnv extends WharfTestEnv {
  readonly standinRoot: string;
  readonly driveC: string;

  constructor(name: string, extraEnv: NodeJS.ProcessEnv = {}) {
    super(name, {});
    const base = path.dirname(this.home);
    this.standinRoot = path.join(base, 'wsl-standin');
    this.driveC = path.join(base, 'drive-c');
    fs.mkdirSync(this.driveC, { recursive: true });
    Object.assign(this.env, { WHARF_WSL_EXE: standinExe, WSL_STANDIN_ROOT: this.standinRoot, WSL_STANDIN_DRIVE_C: this.driveC, ...extraEnv });
  }

  /** Namespaces, mounts and veths this env's stand-in still holds (all must be gone after stop). */
  leftovers(): { mounts: string[]; veths: string[]; processes: string[]; cgroups: string[] } {
    const mounts = fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter((l) => l.includes(this.standinRoot));
    const vethFile = path.join(this.standinRoot, 'vm', 'veth');
    const veth = fs.existsSync(vethFile) ? fs.readFileSync(vethFile, 'utf8').trim() : '';
    const veths = veth && fs.existsSync(`/sys/class/net/${veth}`) ? [veth] : [];
    let processes: string[] = [];
    try {
      processes = execFileSync('pgrep', ['-a', '-f', this.standinRoot], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
    } catch {}
    // The WSL engine's dockerd uses the cgroup parent /wharf (containers under it).
    const cgroups = fs.readdirSync('/sys/fs/cgroup').flatMap((c) => {
      const dir = `/sys/fs/cgroup/${c}/wharf`;
      return fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => `${dir}/${e.name}`) : [];
    });
    return { mounts, veths, processes, cgroups };
  }

  override cleanup(): void {
    super.cleanup();
    try { execFileSync(standinExe, ['--standin-teardown'], { env: this.env, stdio: 'ignore', timeout: 60_000 }); } catch {}
  }
}
