import { useEffect } from 'react';
import { useStore } from 'zustand';
import type { Envelope, ResourceStore } from './resource-store.js';

/** Holds the store active while the component is mounted and reads its envelope. */
export function useResource<T>(rs: ResourceStore<T>): Envelope<T> {
  useEffect(() => rs.retain(), [rs]);
  return useStore(rs.store);
}
