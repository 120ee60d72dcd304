/**
 * A small SVG line chart for stats over time: no library, a polyline and an
 * area under it, y from 0 to a rounded max. The accessible name carries the
 * latest value so screen readers (and tests) read it.
 */
export function LineChart(props: {
  label: string;
  values: number[];
  /** Fixed top of the y axis; otherwise a rounded max of the data. */
  max?: number;
  format: (v: number) => string;
  capacity: number;
  /** Seconds between samples, for the time-window label. */
  intervalSeconds?: number;
}) {
  const W = 300;
  const H = 100;
  const dataMax = Math.max(0, ...props.values);
  const top = props.max ?? niceMax(dataMax);
  // The window grows with the data (at least 30 samples wide) up to the ring buffer's capacity,
  // so the first minute is not a sliver at the right edge.
  const slots = Math.min(props.capacity, Math.max(30, props.values.length));
  const step = W / Math.max(1, slots - 1);
  const offset = (slots - props.values.length) * step;
  const points = props.values.map((v, i) => `${(offset + i * step).toFixed(1)},${(H - (Math.min(v, top) / top) * H).toFixed(1)}`);
  const latest = props.values.at(-1);
  const desc = latest === undefined ? `${props.label}: no samples yet` : `${props.label}: ${props.format(latest)} now, peak ${props.format(dataMax)}`;
  return (
    <div className="chart">
      <svg viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" role="img" aria-label={desc}>
        <g className="grid">
          {[0.25, 0.5, 0.75].map((f) => (
            <line key={f} x1={0} x2={W} y1={H * f} y2={H * f} />
          ))}
        </g>
        {points.length === 1 && <circle className="dot" cx={W} cy={points[0]!.split(',')[1]} r={2} />}
        {points.length > 1 && (
          <>
            <polygon className="area" points={`${points[0]!.split(',')[0]},${H} ${points.join(' ')} ${points.at(-1)!.split(',')[0]},${H}`} />
            <polyline className="line" points={points.join(' ')} />
          </>
        )}
      </svg>
      <div className="sub" style={{ display: 'flex', justifyContent: 'space-between' }}>
        <span>max {props.format(top)}</span>
        <span>{windowLabel(slots * (props.intervalSeconds ?? 2))}</span>
      </div>
    </div>
  );
}

export function niceMax(v: number): number {
  if (v <= 0) return 1;
  const exp = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 2.5, 5, 10]) if (v <= m * exp) return m * exp;
  return 10 * exp;
}

function windowLabel(seconds: number): string {
  return seconds < 120 ? `last ${seconds} s` : `last ${Math.round(seconds / 60)} min`;
}
