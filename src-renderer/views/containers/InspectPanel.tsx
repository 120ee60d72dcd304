import { useCallback, useEffect, useState } from 'react';
import { JsonView } from '../../components/JsonView.js';
import { ErrorBox, LoadingState } from '../../components/States.js';
import { getApi } from '../../ipc/index.js';
import { toErrorInfo, type ErrorInfo } from '../../stores/resource-store.js';

export function InspectPanel({ id, name }: { id: string; name: string }) {
  const [data, setData] = useState<Record<string, unknown> | undefined>();
  const [error, setError] = useState<ErrorInfo | undefined>();
  const [loading, setLoading] = useState(true);
  const load = useCallback(async () => {
    setLoading(true);
    try {
      setData(await getApi().containers.inspect(id));
      setError(undefined);
    } catch (err) {
      setError(toErrorInfo(err));
    } finally {
      setLoading(false);
    }
  }, [id]);
  useEffect(() => void load(), [load]);
  return (
    <div>
      <div className="toolbar">
        <span className="muted">docker inspect {name}</span>
        <span className="spacer" />
        <button type="button" className="small" onClick={() => void load()} disabled={loading}>Refresh</button>
        <button type="button" className="small" disabled={!data} onClick={() => void navigator.clipboard?.writeText(JSON.stringify(data, null, 2))}>Copy JSON</button>
      </div>
      {error && <ErrorBox error={error} what="inspect data" onRetry={() => void load()} />}
      {!data && loading && <LoadingState label="Inspecting…" />}
      {data && <JsonView value={data} label={`Inspect output for ${name}`} />}
    </div>
  );
}
