import { type FormEvent, useState } from 'react';
import { useStore } from 'zustand';
import { EngineGate } from '../../components/EngineStatus.js';
import { FileBrowser } from '../../components/FileBrowser.js';
import { JobCard } from '../../components/JobCard.js';
import { EmptyState, LoadingState } from '../../components/States.js';
import { showToast } from '../../components/Toasts.js';
import { getApi } from '../../ipc/index.js';
import { jobsStore, startJob } from '../../stores/jobs-store.js';
import { volumesStore } from '../../stores/resources.js';
import { useResource } from '../../stores/use-resource.js';
import { formatBytes } from '../../util/format.js';

export function VolumeDetail({ name }: { name: string }) {
  return (
    <EngineGate>
      <Volume name={name} />
    </EngineGate>
  );
}

function Volume({ name }: { name: string }) {
  const { data, loading } = useResource(volumesStore);
  const jobs = useStore(jobsStore, (s) => s.jobs).filter((j) => j.kind === 'transfer' && j.title.endsWith(` ${name}`));
  const [exportPath, setExportPath] = useState('');
  const [importPath, setImportPath] = useState('');
  const [browseKey, setBrowseKey] = useState(0);
  const v = data?.find((x) => x.name === name);
  const back = <a href="#/volumes">Volumes</a>;
  if (!data && loading) return <LoadingState label="Loading volume…" />;
  if (data && !v) {
    return (
      <>
        <div className="crumbs">{back}</div>
        <EmptyState title="Volume not found">It may have been deleted. <a href="#/volumes">Back to volumes</a></EmptyState>
      </>
    );
  }

  const doExport = (e: FormEvent) => {
    e.preventDefault();
    const p = exportPath.trim();
    if (!p) return;
    void startJob('transfer', `Export ${name}`, () => getApi().files.exportVolume(name, p), (ok) => {
      if (ok) showToast('info', `Exported ${name} to ${p}.`);
    });
  };
  const doImport = (e: FormEvent) => {
    e.preventDefault();
    const p = importPath.trim();
    if (!p) return;
    void startJob('transfer', `Import into ${name}`, () => getApi().files.importVolume(name, p), (ok) => {
      if (ok) showToast('info', `Imported ${p} into ${name}.`);
      setBrowseKey((k) => k + 1);
      volumesStore.invalidate();
    });
  };

  return (
    <section aria-labelledby="volume-title">
      <div className="crumbs">{back} <span aria-hidden="true">›</span> <span>{name}</span></div>
      <div className="detail-head">
        <div className="title-block">
          <div className="title-line"><h1 id="volume-title">{name}</h1></div>
          <div className="meta">
            {v?.driver} · {v && v.size >= 0 ? formatBytes(v.size) : 'size unknown'} · {v?.usedBy.length ? <>used by {v.usedBy.join(', ')}</> : 'unused'}
          </div>
        </div>
      </div>
      <div className="forms-grid">
        <form className="card-form" onSubmit={doExport} aria-label={`Export ${name}`}>
          <h2>Export as a tar</h2>
          <p className="muted">Writes every file of the volume, with owners and modes, to a file on this computer.</p>
          <div className="inline-form">
            <input aria-label="Export to file" placeholder="/home/me/backups/data.tar" value={exportPath} onChange={(e) => setExportPath(e.target.value)} spellCheck={false} />
            <button type="submit" className="primary" disabled={!exportPath.trim()}>Export</button>
          </div>
        </form>
        <form className="card-form" onSubmit={doImport} aria-label={`Import into ${name}`}>
          <h2>Import a tar</h2>
          <p className="muted">Unpacks a tar from this computer into the volume; files with the same name are replaced.</p>
          <div className="inline-form">
            <input aria-label="Import from file" placeholder="/home/me/backups/data.tar" value={importPath} onChange={(e) => setImportPath(e.target.value)} spellCheck={false} />
            <button type="submit" className="primary" disabled={!importPath.trim()}>Import</button>
          </div>
        </form>
      </div>
      {jobs.length > 0 && <div className="pulls" aria-label="Transfers">{jobs.map((j) => <JobCard key={j.key} job={j} />)}</div>}
      <h2 className="section-title">Files</h2>
      <FileBrowser key={browseKey} target={{ kind: 'volume', name }} label={`volume ${name}`} />
    </section>
  );
}
