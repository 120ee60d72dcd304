import { Fragment, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { getApi } from '../../ipc/index.js';
import { openStream } from '../../stores/streams.js';

export interface ComposeLine { s: string; c: string; t: string; m: string }

const PALETTE = ['#2f81f7', '#d2691e', '#2da44e', '#bf3989', '#8250df', '#b08800', '#0a9396', '#cf222e'];
const MAX_LINES = 5000;

/** A stable colour per service: services sorted by name take the palette in turn. */
export function serviceColours(services: readonly string[]): Map<string, string> {
  return new Map([...new Set(services)].sort().map((s, i) => [s, PALETTE[i % PALETTE.length]!]));
}

/** Parses the core's merged log lines (one JSON object per line); partial lines carry over. */
export function parseComposeChunk(carry: string, chunk: string): { lines: ComposeLine[]; carry: string } {
  const parts = (carry + chunk).split('\n');
  const rest = parts.pop() ?? '';
  const lines: ComposeLine[] = [];
  for (const p of parts) {
    if (!p.trim()) continue;
    try {
      lines.push(JSON.parse(p) as ComposeLine);
    } catch { /* a torn line cannot happen on one stream; skip anything else */ }
  }
  return { lines, carry: rest };
}

/** Merged, colour-keyed logs of every service of a compose project. */
export function ComposeLogs({ project, services }: { project: string; services: string[] }) {
  const [lines, setLines] = useState<ComposeLine[]>([]);
  const [status, setStatus] = useState<string | undefined>('Connecting…');
  const [hidden, setHidden] = useState<Set<string>>(new Set());
  const [session, setSession] = useState(0);
  const pre = useRef<HTMLPreElement>(null);
  const stick = useRef(true);

  useEffect(() => {
    let carry = '';
    let closed = false;
    setLines([]);
    setStatus('Connecting…');
    const pending = openStream(() => getApi().compose.logs(project, { tail: 300 }), {
      onData(d) {
        const r = parseComposeChunk(carry, d);
        carry = r.carry;
        setStatus(undefined);
        if (r.lines.length) setLines((prev) => [...prev, ...r.lines].slice(-MAX_LINES));
      },
      onEnd(error) { if (!closed) setStatus(error ? `Logs ended: ${error}` : 'All services stopped; logs ended.'); },
    });
    pending.catch((err: unknown) => setStatus(`Could not open logs: ${(err as Error).message}`));
    return () => { closed = true; void pending.then((s) => s.close(), () => undefined); };
  }, [project, session]);

  useLayoutEffect(() => {
    const el = pre.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  });

  const colours = serviceColours([...services, ...lines.map((l) => l.s)]);
  const shown = hidden.size ? lines.filter((l) => !hidden.has(l.s)) : lines;
  const width = Math.max(3, ...[...colours.keys()].map((s) => s.length));
  return (
    <div>
      <div className="toolbar" role="group" aria-label="Services shown in the logs">
        {[...colours].map(([s, colour]) => (
          <button key={s} type="button" className="small service-chip" aria-pressed={!hidden.has(s)} onClick={() => setHidden((h) => { const n = new Set(h); if (n.has(s)) n.delete(s); else n.add(s); return n; })}>
            <span className="swatch" style={{ background: colour }} aria-hidden="true" /> {s}
          </button>
        ))}
        <span className="spacer" />
        <button type="button" onClick={() => setSession((n) => n + 1)}>Reload</button>
      </div>
      {status && <p className="muted" role="status">{status}</p>}
      <pre ref={pre} className="logs" role="log" aria-label={`Logs of project ${project}`} tabIndex={0}
        onScroll={(e) => { const el = e.currentTarget; stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40; }}>
        {shown.length === 0 && !status ? <span className="muted">No output yet.</span> : null}
        {shown.map((l, i) => (
          <Fragment key={i}>
            <span className="svc" style={{ color: colours.get(l.s) }} data-service={l.s}>{l.s.padEnd(width)} |</span> {l.m}{'\n'}
          </Fragment>
        ))}
      </pre>
    </div>
  );
}
