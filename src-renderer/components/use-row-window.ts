import { useCallback, useLayoutEffect, useRef, useState } from 'react';

/** Rows drawn above and below the viewport, so fast scrolling shows no gaps. */
const OVERSCAN = 20;
const FALLBACK_ROW_PX = 52;

export interface RowWindow {
  ref: (el: HTMLDivElement | null) => void;
  onScroll: () => void;
  start: number;
  end: number;
  padTop: number;
  padBottom: number;
}

/**
 * Which rows of a long table to put in the DOM: those in view plus some
 * overscan, with spacer heights standing in for the rest. A thousand full
 * rows cost hundreds of milliseconds to create and lay out; the window costs
 * a few dozen rows. Row height is measured from a drawn row.
 */
export function useRowWindow(total: number, enabled: boolean): RowWindow {
  const el = useRef<HTMLDivElement | null>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(800);
  const [rowPx, setRowPx] = useState(FALLBACK_ROW_PX);

  const ref = useCallback((node: HTMLDivElement | null) => {
    el.current = node;
    if (node) setViewport(node.clientHeight || window.innerHeight);
  }, []);
  const onScroll = useCallback(() => {
    if (el.current) setScrollTop(el.current.scrollTop);
  }, []);

  useLayoutEffect(() => {
    if (!enabled || !el.current) return;
    const row = el.current.querySelector<HTMLTableRowElement>('tbody tr[data-container-id]');
    if (row && row.offsetHeight > 0 && Math.abs(row.offsetHeight - rowPx) > 1) setRowPx(row.offsetHeight);
  });

  if (!enabled) return { ref, onScroll, start: 0, end: total, padTop: 0, padBottom: 0 };
  const start = Math.max(0, Math.floor(scrollTop / rowPx) - OVERSCAN);
  const end = Math.min(total, Math.ceil((scrollTop + viewport) / rowPx) + OVERSCAN);
  return { ref, onScroll, start, end, padTop: start * rowPx, padBottom: (total - end) * rowPx };
}
