import { useState } from 'react';
import { Dialog } from '../../components/Dialog.js';
import { runAction, showToast } from '../../components/Toasts.js';
import { getApi } from '../../ipc/index.js';
import { containersStore, networksStore, volumesStore } from '../../stores/resources.js';

type Action = 'start' | 'stop' | 'restart';
const LABEL: Record<Action, string> = { start: 'Start', stop: 'Stop', restart: 'Restart' };

/** Start, stop, restart and delete for a whole compose project; delete asks whether to take the volumes too. */
export function ComposeActions({ project, running, total, onDeleted }: { project: string; running: number; total: number; onDeleted?: () => void }) {
  const [busy, setBusy] = useState<string | undefined>();
  const [asking, setAsking] = useState(false);
  const [volumes, setVolumes] = useState(false);

  const act = async (a: Action) => {
    setBusy(a);
    await runAction(`${LABEL[a]} project ${project}`, () => getApi().compose[a](project));
    setBusy(undefined);
    containersStore.invalidate();
  };

  const remove = async () => {
    setAsking(false);
    setBusy('delete');
    const ok = await runAction(`Delete project ${project}`, async () => {
      const r = await getApi().compose.remove(project, { volumes });
      showToast('info', `Removed ${r.containers} container${r.containers === 1 ? '' : 's'}, ${r.networks} network${r.networks === 1 ? '' : 's'}${volumes ? ` and ${r.volumes} volume${r.volumes === 1 ? '' : 's'}` : ''} of ${project}.`);
    });
    setBusy(undefined);
    for (const s of [containersStore, networksStore, volumesStore]) s.invalidate();
    if (ok) onDeleted?.();
  };

  return (
    <span className="compose-actions">
      {busy && <span className="spinner" role="status" aria-label={`Working on project ${project}`} />}
      {running < total && <button type="button" className="small" disabled={!!busy} aria-label={`Start project ${project}`} onClick={() => void act('start')}>Start</button>}
      {running > 0 && <button type="button" className="small" disabled={!!busy} aria-label={`Stop project ${project}`} onClick={() => void act('stop')}>Stop</button>}
      <button type="button" className="small" disabled={!!busy} aria-label={`Restart project ${project}`} onClick={() => void act('restart')}>Restart</button>
      <button type="button" className="small danger" disabled={!!busy} aria-label={`Delete project ${project}`} onClick={() => { setVolumes(false); setAsking(true); }}>Delete</button>
      <Dialog
        open={asking}
        title={`Delete project ${project}?`}
        onClose={() => setAsking(false)}
        onSubmit={() => void remove()}
        actions={
          <>
            <button type="button" onClick={() => setAsking(false)} autoFocus>Cancel</button>
            <button type="submit" className="danger solid">Delete</button>
          </>
        }
      >
        <p style={{ marginTop: 0 }}>Its {total} container{total === 1 ? '' : 's'} and networks are removed, like <code>docker compose down</code>.</p>
        <label className="check-label">
          <input type="checkbox" checked={volumes} onChange={(e) => setVolumes(e.target.checked)} /> Also delete its volumes and their data
        </label>
      </Dialog>
    </span>
  );
}
