import { performance } from 'node:perf_hooks';

/**
 * Milliseconds on a clock that only moves forward at a steady rate
 * (CLOCK_MONOTONIC): for waits, timeouts, deadlines and ages. The wall clock
 * (Date.now) jumps when NTP corrects it after the host wakes from sleep, which
 * would end a 60 s wait at once. This is not a time of day: never persist it or
 * compare it across processes.
 */
export function monotonicMs(): number {
  return performance.now();
}
