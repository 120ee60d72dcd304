import { useState } from 'react';
import { useStore } from 'zustand';
import { Dialog } from '../../components/Dialog.js';
import { JobCard } from '../../components/JobCard.js';
import { runAction, showToast } from '../../components/Toasts.js';
import { getApi } from '../../ipc/index.js';
import { jobsStore, startJob } from '../../stores/jobs-store.js';
import { imagesStore, registryLoginsStore } from '../../stores/resources.js';
import { useResource } from '../../stores/use-resource.js';

/** Starts a push of `ref` with per-layer progress (the stored credentials of its registry are used). */
export function pushImage(ref: string): Promise<boolean> {
  return startJob('push', `Push ${ref}`, () => getApi().imageTools.push(ref));
}

/** Push and build jobs, newest first. */
export function ImageJobs() {
  const jobs = useStore(jobsStore, (s) => s.jobs).filter((j) => j.kind === 'push' || j.kind === 'build');
  if (!jobs.length) return null;
  return <div className="pulls" aria-label="Pushes and builds">{jobs.map((j) => <JobCard key={j.key} job={j} />)}</div>;
}

export function TagDialog({ image, onClose }: { image: string | undefined; onClose: () => void }) {
  const [target, setTarget] = useState('');
  const submit = async () => {
    const t = target.trim();
    if (!t || !image) return;
    const ok = await runAction(`Tag ${image}`, () => getApi().imageTools.tag(image, t));
    if (ok) {
      showToast('info', `Tagged ${image} as ${t}.`);
      setTarget('');
      onClose();
    }
    imagesStore.invalidate();
  };
  return (
    <Dialog open={image !== undefined} title={`Tag ${image ?? ''}`} onClose={onClose} onSubmit={() => void submit()}
      actions={<><button type="button" onClick={onClose}>Cancel</button><button type="submit" className="primary" disabled={!target.trim()}>Tag</button></>}>
      <label className="field">New name
        <input data-autofocus aria-label="New image name" placeholder="registry:5000/team/app:1.0" value={target} onChange={(e) => setTarget(e.target.value)} spellCheck={false} />
      </label>
      <p className="muted">To push to a registry, the name starts with its host, e.g. <code>localhost:5000/app:1.0</code>.</p>
    </Dialog>
  );
}

export function BuildDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [context, setContext] = useState('');
  const [dockerfile, setDockerfile] = useState('Dockerfile');
  const [tag, setTag] = useState('');
  const [noCache, setNoCache] = useState(false);
  const submit = () => {
    const c = context.trim();
    if (!c) return;
    const t = tag.trim();
    onClose();
    void startJob('build', `Build ${t || c}`, () => getApi().imageTools.build({ context: c, dockerfile: dockerfile.trim() || 'Dockerfile', noCache, ...(t ? { tag: t } : {}) }), (ok) => {
      if (ok) showToast('info', `Built ${t || c}.`);
      imagesStore.invalidate();
    });
  };
  return (
    <Dialog open={open} title="Build an image" onClose={onClose} onSubmit={submit}
      actions={<><button type="button" onClick={onClose}>Cancel</button><button type="submit" className="primary" disabled={!context.trim()}>Build</button></>}>
      <label className="field">Folder with a Dockerfile
        <input data-autofocus aria-label="Build folder" placeholder="/home/me/projects/app" value={context} onChange={(e) => setContext(e.target.value)} spellCheck={false} />
      </label>
      <div className="form-row">
        <label className="field">Dockerfile
          <input aria-label="Dockerfile" value={dockerfile} onChange={(e) => setDockerfile(e.target.value)} spellCheck={false} />
        </label>
        <label className="field">Tag (optional)
          <input aria-label="Image tag" placeholder="app:dev" value={tag} onChange={(e) => setTag(e.target.value)} spellCheck={false} />
        </label>
      </div>
      <label className="check-label"><input type="checkbox" checked={noCache} onChange={(e) => setNoCache(e.target.checked)} /> Do not use the build cache</label>
      <p className="muted">BuildKit builds it in the engine; .dockerignore is honoured.</p>
    </Dialog>
  );
}

export function SignInDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [server, setServer] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    if (!server.trim() || !username || !password) return;
    setBusy(true);
    const ok = await runAction(`Sign in to ${server.trim()}`, async () => {
      const r = await getApi().registry.login({ server: server.trim(), username, password });
      showToast('info', `Signed in to ${r.server} as ${r.username} (kept in ${r.store === 'config' ? 'the docker CLI config' : `docker-credential-${r.store}`}).`);
    });
    setBusy(false);
    setPassword('');
    void registryLoginsStore.refresh();
    if (ok) onClose();
  };
  return (
    <Dialog open={open} title="Sign in to a registry" onClose={onClose} onSubmit={() => void submit()}
      actions={<><button type="button" onClick={onClose}>Cancel</button><button type="submit" className="primary" disabled={busy || !server.trim() || !username || !password}>{busy ? 'Signing in…' : 'Sign in'}</button></>}>
      <label className="field">Registry
        <input data-autofocus aria-label="Registry" placeholder="docker.io or registry.example.com:5000" value={server} onChange={(e) => setServer(e.target.value)} spellCheck={false} />
      </label>
      <div className="form-row">
        <label className="field">User name
          <input aria-label="User name" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} spellCheck={false} />
        </label>
        <label className="field">Password or token
          <input aria-label="Password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
      </div>
      <p className="muted">Kept where <code>docker login</code> keeps it (its credential helper, or config.json), not in Wharf.</p>
    </Dialog>
  );
}

/** Registries signed in to, with sign-out. */
export function RegistryLogins() {
  const { data } = useResource(registryLoginsStore);
  if (!data?.length) return null;
  return (
    <div className="registry-logins" aria-label="Signed-in registries" role="group">
      <span className="muted">Signed in:</span>
      {data.map((l) => (
        <span key={l.server} className="badge login">
          <span className="mono">{l.username}@{l.server}</span>
          <button type="button" className="small icon" aria-label={`Sign out of ${l.server}`} onClick={() => void runAction(`Sign out of ${l.server}`, async () => { await getApi().registry.logout(l.server); await registryLoginsStore.refresh(); })}>×</button>
        </span>
      ))}
    </div>
  );
}
