import { Fragment, type ReactNode, useEffect, useLayoutEffect, useReducer, useRef, useState } from 'react';
import { getApi } from '../../ipc/index.js';
import { toErrorInfo } from '../../stores/resource-store.js';
import { openStream } from '../../stores/streams.js';
import { LineBuffer } from '../../util/line-buffer.js';

export function LogsPanel({ id, name }: { id: string; name: string }) {
  const [follow, setFollow] = useState(true);
  const [timestamps, setTimestamps] = useState(false);
  const [query, setQuery] = useState('');
  const [status, setStatus] = useState<string | undefined>('Loading logs…');
  const [version, bump] = useReducer((n: number) => n + 1, 0);
  const buffer = useRef(new LineBuffer());
  const pre = useRef<HTMLPreElement>(null);
  const stick = useRef(true);
  const [session, setSession] = useState(0);

  useEffect(() => {
    let cancelled = false;
    let frame = 0;
    let close: (() => void) | undefined;
    const schedule = () => {
      if (!frame) frame = requestAnimationFrame(() => { frame = 0; bump(); });
    };
    // Every change reloads the tail: with follow on the stream stays open, off it is a snapshot.
    buffer.current = new LineBuffer();
    bump();
    setStatus('Loading logs…');
    openStream(() => getApi().containers.logs(id, { follow, timestamps, tail: 1000 }), {
      onData(data) {
        buffer.current.push(data);
        setStatus(undefined);
        schedule();
      },
      onEnd(error) {
        setStatus(error ? `Log stream ended: ${error}` : follow ? 'Log stream ended (the container stopped).' : undefined);
        schedule();
      },
    })
      .then((s) => {
        if (cancelled) s.close();
        else {
          close = () => s.close();
          setStatus((st) => (st === 'Loading logs…' ? undefined : st));
        }
      })
      .catch((err) => {
        if (!cancelled) setStatus(`Could not read logs: ${toErrorInfo(err).message}`);
      });
    return () => {
      cancelled = true;
      if (frame) cancelAnimationFrame(frame);
      close?.();
    };
  }, [id, follow, timestamps, session]);

  const all = buffer.current.all();
  const q = query.trim().toLowerCase();
  // Recomputed on every render (a new chunk bumps `version`); 5000 lines filter in well under a frame.
  const shown = q ? all.filter((l) => l.toLowerCase().includes(q)) : all;
  void version;

  useLayoutEffect(() => {
    const el = pre.current;
    if (el && follow && stick.current) el.scrollTop = el.scrollHeight;
  });

  return (
    <div>
      <div className="toolbar">
        <input type="search" aria-label="Search logs" placeholder="Search logs" value={query} onChange={(e) => setQuery(e.target.value)} />
        {q && <span className="muted" role="status">{shown.length} matching line{shown.length === 1 ? '' : 's'}</span>}
        <span className="spacer" />
        <button type="button" aria-pressed={follow} onClick={() => setFollow((f) => !f)}>Follow</button>
        <button type="button" aria-pressed={timestamps} onClick={() => setTimestamps((t) => !t)}>Timestamps</button>
        <button type="button" onClick={() => setSession((n) => n + 1)}>Reload</button>
      </div>
      {status && <p className="muted" role="status">{status}</p>}
      <pre
        ref={pre}
        className="logs"
        role="log"
        aria-label={`Logs of ${name}`}
        tabIndex={0}
        onScroll={(e) => {
          const el = e.currentTarget;
          stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
        }}
      >
        {shown.length === 0 && !status ? <span className="muted">{q ? 'No lines match.' : 'No output yet.'}</span> : null}
        {shown.map((line, i) => (
          <Fragment key={i}>
            <LogLine line={line} query={q} timestamps={timestamps} />
            {'\n'}
          </Fragment>
        ))}
      </pre>
    </div>
  );
}

function LogLine({ line, query, timestamps }: { line: string; query: string; timestamps: boolean }) {
  let ts = '';
  let rest = line;
  if (timestamps) {
    const m = /^(\d{4}-\d\d-\d\dT[\d:.]+Z?)\s/.exec(line);
    if (m) {
      ts = m[1]!;
      rest = line.slice(m[0].length);
    }
  }
  const body: ReactNode[] = [];
  if (query) {
    const lower = rest.toLowerCase();
    let at = 0;
    let idx: number;
    let k = 0;
    while ((idx = lower.indexOf(query, at)) !== -1) {
      body.push(rest.slice(at, idx), <mark key={k++}>{rest.slice(idx, idx + query.length)}</mark>);
      at = idx + query.length;
    }
    body.push(rest.slice(at));
  } else body.push(rest);
  return (
    <>
      {ts && <span className="ts">{ts} </span>}
      {body}
    </>
  );
}
