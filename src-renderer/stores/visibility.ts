/**
 * Whether the window is visible. Stores pause refetching and sampling while
 * it is hidden (a minimised Electron window, a background browser tab) and
 * catch up once it shows again. Unit tests drive it with setVisibleForTests.
 */
type Listener = (visible: boolean) => void;

const listeners = new Set<Listener>();
let override: boolean | undefined;
let hooked = false;

export function isVisible(): boolean {
  if (override !== undefined) return override;
  return typeof document === 'undefined' ? true : !document.hidden;
}

function notify(): void {
  const visible = isVisible();
  for (const fn of [...listeners]) fn(visible);
}

export function onVisibilityChange(fn: Listener): () => void {
  if (!hooked && typeof document !== 'undefined') {
    hooked = true;
    document.addEventListener('visibilitychange', () => {
      if (override === undefined) notify();
    });
  }
  listeners.add(fn);
  return () => {
    listeners.delete(fn);
  };
}

/** undefined returns to the real document state. */
export function setVisibleForTests(visible: boolean | undefined): void {
  override = visible;
  notify();
}
