import type { ProxyActivity } from './proxy/socket-proxy.js';
import { errorMessage } from './errors.js';

export interface ResourceSaverDeps {
  /** Idle minutes before the VM stops; 0 = off. Re-read on every check. */
  minutes: () => number;
  /** Whether the engine is up and nothing else (start, stop, restart) is under way. */
  engineUp: () => boolean;
  /** Client use of the docker socket (Wharf's own client excluded). */
  activity: () => ProxyActivity;
  runningContainers: () => Promise<number>;
  /** Stops the VM but keeps the socket, which wakes it on the next connection. */
  sleep: () => Promise<void>;
  log: (line: string) => void;
  now?: () => number;
  /** How often idleness is checked. Default 10 s. */
  checkEveryMs?: number;
}

/**
 * Resource Saver, as in Docker Desktop: after N minutes with no container
 * running and no docker client connected, the VM stops and its memory goes
 * back to the host. Idle time restarts on every client connection opening or
 * closing and whenever a container runs.
 */
export class ResourceSaver {
  private idleSince?: number;
  private timer?: NodeJS.Timeout;
  private checking = false;
  private readonly now: () => number;

  constructor(private readonly deps: ResourceSaverDeps) {
    this.now = deps.now ?? Date.now;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.check(), this.deps.checkEveryMs ?? 10_000);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** When the engine became idle (ms since epoch), if it is. */
  get idleSinceMs(): number | undefined {
    return this.idleSince;
  }

  /** One look; returns true when it put the VM to sleep. */
  async check(): Promise<boolean> {
    if (this.checking) return false;
    this.checking = true;
    try {
      return await this.look();
    } catch (err) {
      this.deps.log(`[resource saver] ${errorMessage(err)}`);
      this.idleSince = undefined;
      return false;
    } finally {
      this.checking = false;
    }
  }

  private async look(): Promise<boolean> {
    const minutes = this.deps.minutes();
    const activity = this.deps.activity();
    if (minutes <= 0 || !this.deps.engineUp() || activity.open > 0 || (await this.deps.runningContainers()) > 0) {
      this.idleSince = undefined;
      return false;
    }
    const now = this.now();
    // A connection that came and went between two looks still counts as use.
    this.idleSince = Math.max(this.idleSince ?? now, activity.lastAt);
    if (now - this.idleSince < minutes * 60_000) return false;
    this.deps.log(`[resource saver] idle for ${minutes} min with no container running: stopping the VM`);
    this.idleSince = undefined;
    await this.deps.sleep();
    return true;
  }
}
