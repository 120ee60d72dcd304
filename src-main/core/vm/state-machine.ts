import type { VmState, VmStateName } from '../contract/types.js';

const allowed: Record<VmStateName, readonly VmStateName[]> = {
  stopped: ['starting'],
  starting: ['running', 'stopping', 'error', 'stopped'],
  running: ['stopping', 'error', 'stopped'],
  stopping: ['stopped', 'error'],
  error: ['starting', 'stopped', 'stopping'],
};

export class InvalidTransitionError extends Error {
  override name = 'InvalidTransitionError';
}

/**
 * stopped → starting → running → stopping → stopped, or error with a reason
 * from any active state. Transitions outside that graph throw, so a racing
 * second start cannot silently double-boot the VM.
 */
export class VmStateMachine {
  private current: VmState = { state: 'stopped' };
  private listeners = new Set<(s: VmState) => void>();

  get state(): VmState {
    return this.current;
  }

  canTransition(to: VmStateName): boolean {
    return allowed[this.current.state].includes(to);
  }

  transition(to: VmStateName, reason?: string): VmState {
    if (to === this.current.state && to !== 'error') return this.current;
    if (!this.canTransition(to)) {
      throw new InvalidTransitionError(`cannot go from ${this.current.state} to ${to}`);
    }
    if (to === 'error' && !reason) throw new InvalidTransitionError('an error state needs a reason');
    this.current = to === 'error' ? { state: to, reason: reason! } : { state: to };
    for (const fn of this.listeners) fn(this.current);
    return this.current;
  }

  onChange(fn: (s: VmState) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
}
