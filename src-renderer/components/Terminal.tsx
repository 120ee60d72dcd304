import { useCallback, useEffect, useLayoutEffect, useReducer, useRef, useState } from 'react';
import type { StreamHandle } from '../../src-main/core/contract/index.js';
import { toErrorInfo } from '../stores/resource-store.js';
import { openStream, type OpenStream } from '../stores/streams.js';
import { keyToSequence, TermScreen } from '../util/term-screen.js';

/**
 * An interactive terminal on a core stream (exec or VM shell). Keystrokes go
 * out with streams.write, output is fed through TermScreen (basic VT100), and
 * the size follows the element via streams.resize.
 */
export function Terminal({ label, open }: { label: string; open: () => Promise<StreamHandle> }) {
  const screen = useRef(new TermScreen());
  const stream = useRef<OpenStream | undefined>(undefined);
  const box = useRef<HTMLPreElement>(null);
  const measure = useRef<HTMLSpanElement>(null);
  const [, redraw] = useReducer((n: number) => n + 1, 0);
  const [state, setState] = useState<'connecting' | 'open' | 'ended' | 'error'>('connecting');
  const [message, setMessage] = useState<string | undefined>();
  const [session, setSession] = useState(0);

  // Keystrokes go out one write at a time, in order, each key its own write (as a real terminal
  // sends them): a Ctrl+C must not share a write with the keys after it, or the tty's input flush
  // on SIGINT swallows them.
  const queue = useRef<string[]>([]);
  const inFlight = useRef(false);
  const flush = useCallback(() => {
    const s = stream.current;
    if (inFlight.current || queue.current.length === 0 || !s) return;
    const chunk = queue.current.shift()!;
    inFlight.current = true;
    s.write(chunk)
      .catch(() => {})
      .finally(() => {
        inFlight.current = false;
        flush();
      });
  }, []);
  const send = useCallback((data: string) => {
    queue.current.push(data);
    flush();
  }, [flush]);

  useEffect(() => {
    let cancelled = false;
    let frame = 0;
    screen.current = new TermScreen();
    setState('connecting');
    setMessage(undefined);
    const schedule = () => {
      if (!frame) frame = requestAnimationFrame(() => { frame = 0; redraw(); });
    };
    openStream(open, {
      onData(data) {
        const reply = screen.current.write(data);
        if (reply) send(reply);
        schedule();
      },
      onEnd(error) {
        setState(error ? 'error' : 'ended');
        setMessage(error ?? 'The session ended.');
      },
    })
      .then((s) => {
        if (cancelled) return s.close();
        stream.current = s;
        flush();
        setState((st) => (st === 'connecting' ? 'open' : st));
        fit();
        box.current?.focus();
      })
      .catch((err) => {
        if (cancelled) return;
        setState('error');
        setMessage(toErrorInfo(err).message);
      });
    return () => {
      cancelled = true;
      if (frame) cancelAnimationFrame(frame);
      stream.current?.close();
      stream.current = undefined;
      queue.current = [];
    };
  }, [open, session]);

  const fit = useCallback(() => {
    const el = box.current;
    const m = measure.current;
    if (!el || !m) return;
    const charW = m.getBoundingClientRect().width / 10 || 7.5;
    const charH = m.getBoundingClientRect().height || 18;
    const style = getComputedStyle(el);
    const padX = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
    const padY = parseFloat(style.paddingTop) + parseFloat(style.paddingBottom);
    const cols = Math.max(20, Math.floor((el.clientWidth - padX) / charW));
    const rows = Math.max(5, Math.floor((el.clientHeight - padY) / charH));
    if (cols !== screen.current.cols || rows !== screen.current.rows) {
      screen.current.resize(cols, rows);
      stream.current?.resize(cols, rows).catch(() => {});
    }
  }, []);

  useEffect(() => {
    const el = box.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => fit());
    ro.observe(el);
    return () => ro.disconnect();
  }, [fit]);

  useLayoutEffect(() => {
    const el = box.current;
    if (el) el.scrollTop = el.scrollHeight;
  });

  const s = screen.current;
  const lines = s.lines;
  const before = lines.slice(0, s.row);
  const cur = lines[s.row] ?? '';
  const after = lines.slice(s.row + 1);
  const curLine = cur.padEnd(s.col + 1, ' ');

  return (
    <div className="terminal-wrap">
      <span className="term-measure" ref={measure} aria-hidden="true">0123456789</span>
      <div className="toolbar">
        <span className="muted" role="status">
          {state === 'connecting' ? 'Connecting…' : state === 'open' ? 'Connected. Keys go to the shell (Tab completes, Ctrl+C interrupts); Shift+Tab leaves the terminal.' : message}
        </span>
        <span className="spacer" />
        {(state === 'ended' || state === 'error') && (
          <button type="button" className="small" onClick={() => setSession((n) => n + 1)}>Reconnect</button>
        )}
      </div>
      <pre
        ref={box}
        className="terminal"
        role="textbox"
        aria-multiline="true"
        aria-label={label}
        aria-readonly={state !== 'open'}
        tabIndex={0}
        data-testid="terminal"
        onKeyDown={(e) => {
          if (state !== 'open') return;
          // Let the browser keep Ctrl+Shift+C/V style copy/paste.
          if (e.ctrlKey && e.shiftKey) return;
          // Shift+Tab leaves the terminal, so keyboard users are never trapped.
          if (e.key === 'Tab' && e.shiftKey) return;
          const seq = keyToSequence(e);
          if (seq === undefined) return;
          e.preventDefault();
          send(seq);
        }}
        onPaste={(e) => {
          const text = e.clipboardData.getData('text');
          if (text && state === 'open') {
            e.preventDefault();
            send(text.replace(/\r?\n/g, '\r'));
          }
        }}
      >
        {before.length > 0 && before.join('\n') + '\n'}
        {curLine.slice(0, s.col)}
        <span className="cursor">{curLine[s.col]}</span>
        {curLine.slice(s.col + 1).replace(/\s+$/, '')}
        {after.length > 0 && '\n' + after.join('\n')}
      </pre>
    </div>
  );
}
