import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import { toErrorInfo } from '../stores/resource-store.js';

interface Toast {
  id: number;
  kind: 'error' | 'info';
  text: string;
}

export const toastStore = createStore<{ toasts: Toast[] }>(() => ({ toasts: [] }));
let seq = 0;

export function showToast(kind: Toast['kind'], text: string, ttlMs = kind === 'error' ? 10000 : 4000): void {
  const id = ++seq;
  toastStore.setState((s) => ({ toasts: [...s.toasts.slice(-4), { id, kind, text }] }));
  setTimeout(() => dismissToast(id), ttlMs);
}

export function dismissToast(id: number): void {
  toastStore.setState((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }));
}

/** Runs a user action; a failure becomes an error toast instead of vanishing. */
export async function runAction(what: string, fn: () => Promise<unknown>): Promise<boolean> {
  try {
    await fn();
    return true;
  } catch (err) {
    showToast('error', `${what} failed: ${toErrorInfo(err).message}`);
    return false;
  }
}

export function Toasts() {
  const toasts = useStore(toastStore, (s) => s.toasts);
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className={`toast ${t.kind}`} role={t.kind === 'error' ? 'alert' : 'status'}>
          <span className="msg">{t.text}</span>
          <button type="button" className="icon small" aria-label="Dismiss notification" onClick={() => dismissToast(t.id)}>×</button>
        </div>
      ))}
    </div>
  );
}
