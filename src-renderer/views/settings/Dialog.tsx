import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode } from 'react';

const FOCUSABLE = 'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

export interface DialogProps {
  title: string;
  children: ReactNode;
  /** Buttons; the first enabled one that is not marked data-danger gets the focus. */
  actions: ReactNode;
  onClose(): void;
  /** While true, Escape and the backdrop do nothing (an operation is running). */
  busy?: boolean;
}

/**
 * A modal dialog: role="dialog" named by its title, Tab and Shift+Tab cycle
 * inside it, Escape closes it, and the focus goes back where it was.
 */
export function Dialog({ title, children, actions, onClose, busy = false }: DialogProps) {
  const titleId = useId();
  const bodyId = useId();
  const ref = useRef<HTMLDivElement>(null);
  const busyRef = useRef(busy);
  busyRef.current = busy;
  const closeRef = useRef(onClose);
  closeRef.current = onClose;

  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    const node = ref.current;
    if (node) {
      const candidates = Array.from(node.querySelectorAll<HTMLElement>(FOCUSABLE));
      const first = candidates.find((el) => el.dataset.autofocus !== undefined)
        ?? candidates.find((el) => el.dataset.danger === undefined)
        ?? candidates[0]
        ?? node;
      first.focus();
    }
    return () => {
      if (previous && document.contains(previous)) previous.focus();
    };
  }, []);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      if (!busyRef.current) closeRef.current();
      return;
    }
    if (e.key !== 'Tab' || !ref.current) return;
    const items = Array.from(ref.current.querySelectorAll<HTMLElement>(FOCUSABLE));
    if (items.length === 0) {
      e.preventDefault();
      return;
    }
    const first = items[0]!;
    const last = items[items.length - 1]!;
    const active = document.activeElement;
    if (e.shiftKey && (active === first || !ref.current.contains(active))) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && (active === last || !ref.current.contains(active))) {
      e.preventDefault();
      first.focus();
    }
  };

  return (
    <div className="settings-backdrop" onMouseDown={(e) => { if (e.target === e.currentTarget && !busy) onClose(); }}>
      <div
        ref={ref}
        className="settings-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={bodyId}
        tabIndex={-1}
        onKeyDown={onKeyDown}
      >
        <h2 id={titleId} className="settings-dialog-title">{title}</h2>
        <div id={bodyId} className="settings-dialog-body">{children}</div>
        <div className="settings-dialog-actions">{actions}</div>
      </div>
    </div>
  );
}
