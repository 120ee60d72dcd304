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
}) {
  const W = 300;
  const H = 100;
  const dataMax = Math.max(0, ...props.values);
  const top = props.max ?? niceMax(dataMax);
  const step = W / Math.max(1, props.capacity - 1);
  const offset = (props.capacity - props.values.length) * step;
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
        {points.length > 1 && (
          <>
            <polygon className="area" points={`${points[0]!.split(',')[0]},${H} ${points.join(' ')} ${points.at(-1)!.split(',')[0]},${H}`} />
            <polyline className="line" points={points.join(' ')} />
          </>
        )}
      </svg>
      <div className="sub" style={{ display: 'flex', justifyContent: 'space-between' }}>
        <span>max {props.format(top)}</span>
        <span>last {Math.round((props.capacity * 2) / 60)} min</span>
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
