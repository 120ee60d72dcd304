import type { ContainerSummary } from '../contract/types.js';
import type { ForwardSpec, PortForwarder } from '../vm/backend.js';
import { errorMessage } from '../errors.js';
import { desiredForwards, diffForwards, forwardKey } from './desired-forwards.js';
import { detached } from '../util/detached.js';

export interface PortSyncDeps {
  forwarder: () => PortForwarder | undefined;
  listContainers: () => Promise<ContainerSummary[]>;
  /** Forwards that are not ours to manage (the engine's own TLS port). */
  reserved: () => Promise<ForwardSpec[]>;
  log: (line: string) => void;
  onNoticesChanged?: (notices: string[]) => void;
}

/**
 * Keeps the hypervisor's host forwards equal to the published ports of the
 * running containers. Always reconciles from the full picture rather than
 * applying single events, so a missed event or a reconnect cannot leave drift.
 */
export class PortSync {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private failures = new Map<string, string>();

  constructor(private readonly deps: PortSyncDeps) {}

  /** Coalesces bursts of container events into one reconcile. */
  schedule(delayMs = 30): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => detached(() => this.reconcile(), this.deps.log, 'ports'), delayMs);
  }

  notices(): string[] {
    return [...this.failures.values()];
  }

  async reconcile(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.doReconcile().finally(() => { this.running = undefined; });
    await this.running;
    if (this.again) {
      this.again = false;
      await this.reconcile();
    }
  }

  private async doReconcile(): Promise<void> {
    const fwd = this.deps.forwarder();
    if (!fwd) return;
    const reserved = new Set((await this.deps.reserved()).map(forwardKey));
    const desired = desiredForwards(await this.deps.listContainers());
    const current = (await fwd.list()).filter((f) => !reserved.has(forwardKey(f)));
    const { add, remove } = diffForwards(current, desired);
    const before = this.notices().join('\n');
    const wanted = new Set(desired.map(forwardKey));
    for (const key of [...this.failures.keys()]) if (!wanted.has(key)) this.failures.delete(key);
    for (const f of remove) {
      try { await fwd.remove(f); this.deps.log(`[ports] removed ${forwardKey(f)}`); } catch (err) { this.deps.log(`[ports] remove ${forwardKey(f)} failed: ${errorMessage(err)}`); }
    }
    for (const f of add) {
      try {
        await fwd.add(f);
        this.failures.delete(forwardKey(f));
        this.deps.log(`[ports] forwarding ${forwardKey(f)} -> guest ${f.guestPort}`);
      } catch (err) {
        this.failures.set(forwardKey(f), errorMessage(err));
        this.deps.log(`[ports] ${errorMessage(err)}`);
      }
    }
    if (this.notices().join('\n') !== before) this.deps.onNoticesChanged?.(this.notices());
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}
