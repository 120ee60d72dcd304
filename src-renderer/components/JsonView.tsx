import { Fragment, type ReactNode } from 'react';

/** Pretty-printed JSON with light syntax colouring; no dangerouslySetInnerHTML. */
export function JsonView({ value, label }: { value: unknown; label: string }) {
  const text = JSON.stringify(value, null, 2) ?? 'undefined';
  const parts: ReactNode[] = [];
  const re = /("(?:\\.|[^"\\])*")(\s*:)?|\b(true|false|null)\b|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g;
  let last = 0;
  let m: RegExpExecArray | null;
  let key = 0;
  while ((m = re.exec(text))) {
    if (m.index > last) parts.push(<Fragment key={key++}>{text.slice(last, m.index)}</Fragment>);
    if (m[1]) {
      parts.push(<span key={key++} className={m[2] ? 'k' : 's'}>{m[1]}</span>);
      if (m[2]) parts.push(<Fragment key={key++}>{m[2]}</Fragment>);
    } else if (m[3]) parts.push(<span key={key++} className="b">{m[3]}</span>);
    else parts.push(<span key={key++} className="n">{m[4]}</span>);
    last = re.lastIndex;
  }
  parts.push(<Fragment key={key}>{text.slice(last)}</Fragment>);
  return (
    <pre className="json-view" tabIndex={0} aria-label={label} role="region">
      {parts}
    </pre>
  );
}
