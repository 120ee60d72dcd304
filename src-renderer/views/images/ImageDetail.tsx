import { useEffect, useState } from 'react';
import type { ImageHistory } from '../../../src-main/core/contract/index.js';
import { EngineGate } from '../../components/EngineStatus.js';
import { ErrorBox, LoadingState } from '../../components/States.js';
import { getApi } from '../../ipc/index.js';
import { toErrorInfo, type ErrorInfo } from '../../stores/resource-store.js';
import { formatBytes, formatRelative, shortId } from '../../util/format.js';
import { ImageJobs, TagDialog, pushImage } from './ImageTools.js';

export function ImageDetail({ imageRef }: { imageRef: string }) {
  return (
    <EngineGate>
      <Detail imageRef={imageRef} />
    </EngineGate>
  );
}

/** History and layers of one image, as `docker history` and `docker inspect` show them, with tag and push. */
function Detail({ imageRef }: { imageRef: string }) {
  const [history, setHistory] = useState<ImageHistory | undefined>();
  const [error, setError] = useState<ErrorInfo | undefined>();
  const [tagging, setTagging] = useState(false);
  useEffect(() => {
    let live = true;
    getApi().imageTools.history(imageRef).then((h) => { if (live) setHistory(h); }, (err: unknown) => { if (live) setError(toErrorInfo(err)); });
    return () => { live = false; };
  }, [imageRef]);
  const total = history?.steps.reduce((n, s) => n + s.size, 0) ?? 0;
  const max = Math.max(1, ...(history?.steps.map((s) => s.size) ?? [1]));
  return (
    <section aria-labelledby="image-title">
      <div className="crumbs"><a href="#/images">Images</a> <span aria-hidden="true">›</span> <span>{imageRef}</span></div>
      <div className="detail-head">
        <div className="title-block">
          <div className="title-line"><h1 id="image-title" className="image-title">{imageRef}</h1></div>
          {history && <div className="meta"><span className="mono">{shortId(history.id)}</span> · {history.os}/{history.architecture} · {history.rootLayers.length} layer{history.rootLayers.length === 1 ? '' : 's'} · {formatBytes(total)}</div>}
        </div>
        <div className="head-actions">
          <button type="button" onClick={() => setTagging(true)}>Tag…</button>
          <button type="button" className="primary" onClick={() => void pushImage(imageRef)}>Push</button>
        </div>
      </div>
      <ImageJobs />
      {error && <ErrorBox error={error} what="the image history" />}
      {!history && !error && <LoadingState label="Reading history…" />}
      {history && (
        <>
          <h2 className="section-title">History</h2>
          <div className="table-wrap">
            <table className="data" aria-label="Image history">
              <thead>
                <tr><th scope="col">Step</th><th scope="col">Created by</th><th scope="col">Created</th><th scope="col" className="num">Size</th><th scope="col"><span className="visually-hidden">Share of the image</span></th></tr>
              </thead>
              <tbody>
                {history.steps.map((s, i) => (
                  <tr key={`${s.id}-${i}`}>
                    <td className="mono">{history.steps.length - i}</td>
                    <td className="mono created-by" title={s.createdBy}>{s.createdBy.replace(/^\/bin\/sh -c (#\(nop\) )?/, '') || <span className="muted">{s.comment || '—'}</span>}</td>
                    <td>{formatRelative(s.created)}</td>
                    <td className="num">{formatBytes(s.size)}</td>
                    <td className="bar-cell"><div className="size-bar" aria-hidden="true"><span style={{ width: `${(s.size / max) * 100}%` }} /></div></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h2 className="section-title">Layers</h2>
          <ol className="layer-list" aria-label="Layers">
            {history.rootLayers.map((l) => <li key={l} className="mono">{l}</li>)}
          </ol>
        </>
      )}
      <TagDialog image={tagging ? imageRef : undefined} onClose={() => setTagging(false)} />
    </section>
  );
}
