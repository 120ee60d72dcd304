import { useEffect, useMemo } from 'react';
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { ContainerStats } from '../../src-main/core/contract/index.js';
import { getApi } from '../ipc/index.js';
import { toErrorInfo, type ErrorInfo } from './resource-store.js';
import { RingBuffer } from './ring-buffer.js';
import { isVisible, onVisibilityChange } from './visibility.js';

/**
 * CPU and memory over time.
 *
 * Why this one store samples instead of waiting for an invalidation: stats
 * change continuously, and the contract has no stats event (an event per
 * container per second to every client would cost more than it saves).
 * So there is exactly one sampler, and it runs only while a view that shows
 * stats is mounted (refcounted by useStatsSampler) AND the window is visible.
 * One `containers.stats` call every 2 s covers every running container.
 * Each container keeps at most MAX_SAMPLES samples (a ring buffer), and
 * containers that stop reporting are dropped, so memory stays flat.
 */
export const SAMPLE_INTERVAL_MS = 2000;
export const MAX_SAMPLES = 150; // 5 minutes at 2 s

export interface StatsState {
  /** Bumped on every sample so selectors re-read the buffers. */
  version: number;
  latest: Record<string, ContainerStats>;
  error: ErrorInfo | undefined;
  sampling: boolean;
}

export const statsStore = createStore<StatsState>(() => ({ version: 0, latest: {}, error: undefined, sampling: false }));
const buffers = new Map<string, RingBuffer<ContainerStats>>();

let holders = 0;
let timer: ReturnType<typeof setInterval> | undefined;
let offVisibility: (() => void) | undefined;
let busy = false;
let intervalMs = SAMPLE_INTERVAL_MS;

/** Takes one sample now (skipped if the last one has not returned yet). */
export async function sampleOnce(): Promise<void> {
  if (busy) return;
  busy = true;
  try {
    const samples = await getApi().containers.stats();
    const seen = new Set<string>();
    const latest: Record<string, ContainerStats> = {};
    for (const s of samples) {
      seen.add(s.id);
      latest[s.id] = s;
      let buf = buffers.get(s.id);
      if (!buf) buffers.set(s.id, (buf = new RingBuffer<ContainerStats>(MAX_SAMPLES)));
      buf.push(s);
    }
    for (const id of [...buffers.keys()]) if (!seen.has(id)) buffers.delete(id);
    statsStore.setState((st) => ({ version: st.version + 1, latest, error: undefined }));
  } catch (err) {
    statsStore.setState({ error: toErrorInfo(err) });
  } finally {
    busy = false;
  }
}

function startTimer(): void {
  if (timer !== undefined || holders === 0 || !isVisible()) return;
  void sampleOnce();
  timer = setInterval(() => void sampleOnce(), intervalMs);
  statsStore.setState({ sampling: true });
}

function stopTimer(): void {
  if (timer !== undefined) clearInterval(timer);
  timer = undefined;
  statsStore.setState({ sampling: false });
}

/** Refcounted: sampling runs while at least one holder exists and the window is visible. */
export function retainStatsSampler(): () => void {
  holders++;
  if (holders === 1) {
    offVisibility = onVisibilityChange((visible) => (visible ? startTimer() : stopTimer()));
    startTimer();
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    holders--;
    if (holders === 0) {
      offVisibility?.();
      offVisibility = undefined;
      stopTimer();
    }
  };
}

/** Mount in any view that shows stats. */
export function useStatsSampler(): void {
  useEffect(() => retainStatsSampler(), []);
}

export function statsSeries(id: string): ContainerStats[] {
  return buffers.get(id)?.toArray() ?? [];
}

export function useStatsSeries(id: string): ContainerStats[] {
  const version = useStore(statsStore, (s) => s.version);
  return useMemo(() => statsSeries(id), [id, version]);
}

/** For tests: interval and a clean slate. */
export function resetStatsForTests(ms: number = SAMPLE_INTERVAL_MS): void {
  stopTimer();
  holders = 0;
  offVisibility?.();
  offVisibility = undefined;
  buffers.clear();
  intervalMs = ms;
  statsStore.setState({ version: 0, latest: {}, error: undefined, sampling: false });
}
