import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Topic } from '../../src-main/core/contract/index.js';
import { getTransport, onEvent } from '../ipc/index.js';
import { isVisible, onVisibilityChange } from './visibility.js';

/** A plain-JSON error, so it survives any transport and renders as is. */
export interface ErrorInfo {
  name: string;
  message: string;
}

/**
 * What every list view reads: the last good data, the last error (kept next
 * to the data, so a failed refetch does not blank the table), and whether a
 * fetch is running.
 */
export interface Envelope<T> {
  data: T | undefined;
  error: ErrorInfo | undefined;
  loading: boolean;
  /** ms since epoch of the last successful fetch. */
  fetchedAt: number | undefined;
}

export interface ResourceStore<T> {
  readonly name: string;
  readonly store: StoreApi<Envelope<T>>;
  /** Activates the store (first retain fetches and subscribes); call the result to release. */
  retain(): () => void;
  /** Debounced refetch, as an 'invalidate' event does. */
  invalidate(): void;
  /** Fetches now (coalesced with one already running). */
  refresh(): Promise<void>;
  /** Number of holders; exposed for tests. */
  readonly holders: number;
}

export interface ResourceOptions<T> {
  name: string;
  /** Invalidation topics that make this store refetch. */
  topics: readonly Topic[];
  fetch: () => Promise<T>;
  debounceMs?: number;
}

export function toErrorInfo(err: unknown): ErrorInfo {
  if (err instanceof Error) return { name: err.name || 'Error', message: err.message };
  if (err && typeof err === 'object' && 'message' in err) {
    const e = err as { name?: unknown; message?: unknown };
    return { name: String(e.name ?? 'Error'), message: String(e.message) };
  }
  return { name: 'Error', message: String(err) };
}

const registry = new Set<ResourceStore<unknown>>();

/** Marks every store stale (after a reconnect or when the engine comes up). */
export function invalidateAll(): void {
  for (const rs of registry) rs.invalidate();
}

/**
 * An invalidation-driven store (after Podman Desktop's event-store): the core
 * says *what* changed with `invalidate {topic}`; the store refetches once per
 * burst (debounced), never while the window is hidden, and catches up when it
 * shows again. There is no polling.
 */
export function createResourceStore<T>(opts: ResourceOptions<T>): ResourceStore<T> {
  const debounceMs = opts.debounceMs ?? 100;
  const store = createStore<Envelope<T>>(() => ({ data: undefined, error: undefined, loading: false, fetchedAt: undefined }));
  let holders = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stale = false;
  let inFlight: Promise<void> | undefined;
  let again = false;
  let unsubscribe: (() => void)[] = [];

  const run = async (): Promise<void> => {
    store.setState({ loading: true });
    try {
      const data = await opts.fetch();
      store.setState({ data, error: undefined, loading: false, fetchedAt: Date.now() });
    } catch (err) {
      store.setState({ error: toErrorInfo(err), loading: false });
    }
  };

  const refresh = (): Promise<void> => {
    stale = false;
    if (inFlight) {
      again = true;
      return inFlight;
    }
    inFlight = (async () => {
      do {
        again = false;
        await run();
      } while (again && holders > 0);
      inFlight = undefined;
    })();
    return inFlight;
  };

  const fire = () => {
    timer = undefined;
    if (holders === 0) return;
    if (!isVisible()) {
      stale = true;
      return;
    }
    void refresh();
  };

  const invalidate = () => {
    if (holders === 0) {
      stale = true; // picked up by the next retain
      return;
    }
    if (!isVisible()) {
      stale = true;
      return;
    }
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(fire, debounceMs);
  };

  const activate = () => {
    const transport = getTransport();
    unsubscribe = [
      onEvent(transport, 'invalidate', ({ topic }) => {
        if (opts.topics.includes(topic)) invalidate();
      }),
      onVisibilityChange((visible) => {
        if (visible && stale) invalidate();
      }),
    ];
    if (isVisible()) void refresh();
    else stale = true;
  };

  const deactivate = () => {
    for (const fn of unsubscribe) fn();
    unsubscribe = [];
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };

  const rs: ResourceStore<T> = {
    name: opts.name,
    store,
    retain() {
      holders++;
      if (holders === 1) activate();
      let released = false;
      return () => {
        if (released) return;
        released = true;
        holders--;
        if (holders === 0) deactivate();
      };
    },
    invalidate,
    refresh,
    get holders() {
      return holders;
    },
  };
  registry.add(rs as ResourceStore<unknown>);
  return rs;
}
