import { useStore } from 'zustand';
import { LineChart } from '../../components/LineChart.js';
import { ErrorBox } from '../../components/States.js';
import { MAX_SAMPLES, statsStore, useStatsSampler, useStatsSeries } from '../../stores/stats-store.js';
import { formatMiB, formatPercent } from '../../util/format.js';

export function StatsPanel({ id }: { id: string }) {
  useStatsSampler();
  const series = useStatsSeries(id);
  const error = useStore(statsStore, (s) => s.error);
  const last = series.at(-1);
  return (
    <div>
      {error && <ErrorBox error={error} what="stats" />}
      <div className="charts">
        <div className="chart-card">
          <h3>CPU</h3>
          <div className="value">{formatPercent(last?.cpuPercent)}</div>
          <LineChart label="CPU usage" values={series.map((s) => s.cpuPercent)} format={formatPercent} capacity={MAX_SAMPLES} />
        </div>
        <div className="chart-card">
          <h3>Memory</h3>
          <div className="value">
            {formatMiB(last?.memoryBytes)}
            {last && last.memoryLimitBytes > 0 && <span className="sub"> of {formatMiB(last.memoryLimitBytes)}</span>}
          </div>
          <LineChart label="Memory usage" values={series.map((s) => s.memoryBytes)} format={formatMiB} capacity={MAX_SAMPLES} />
        </div>
      </div>
      <p className="sub">Sampled every 2 s while this view is open and the window is visible.</p>
    </div>
  );
}
