import type { EventMap, EventName } from '../contract/events.js';

type Listener<E extends EventName> = (payload: EventMap[E]) => void;

/** The core's single fan-out point; every transport subscribes with onAny. */
export class EventBus {
  private listeners = new Map<EventName, Set<Listener<never>>>();
  private anyListeners = new Set<(name: EventName, payload: unknown) => void>();

  on<E extends EventName>(name: E, fn: Listener<E>): () => void {
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    set.add(fn as Listener<never>);
    return () => set.delete(fn as Listener<never>);
  }

  onAny(fn: (name: EventName, payload: unknown) => void): () => void {
    this.anyListeners.add(fn);
    return () => this.anyListeners.delete(fn);
  }

  emit<E extends EventName>(name: E, payload: EventMap[E]): void {
    for (const fn of this.listeners.get(name) ?? []) (fn as Listener<E>)(payload);
    for (const fn of this.anyListeners) fn(name, payload);
  }
}
