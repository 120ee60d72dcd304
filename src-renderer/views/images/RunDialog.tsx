import { type ReactNode, useEffect, useId, useState } from 'react';
import { Dialog } from '../../components/Dialog.js';
import { showToast } from '../../components/Toasts.js';
import { getApi } from '../../ipc/index.js';
import { toErrorInfo } from '../../stores/resource-store.js';
import { containersStore } from '../../stores/resources.js';
import { navigate } from '../../stores/router.js';
import { parseEnv, parsePorts, parseVolumes } from '../../util/format.js';

/** Run a container from an image: name, ports, env, volumes (→ containers.run). */
export function RunDialog({ image, onClose }: { image: string | undefined; onClose: () => void }) {
  const [name, setName] = useState('');
  const [ports, setPorts] = useState('');
  const [env, setEnv] = useState('');
  const [volumes, setVolumes] = useState('');
  const [cmd, setCmd] = useState('');
  const [errors, setErrors] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (image !== undefined) {
      setName(''); setPorts(''); setEnv(''); setVolumes(''); setCmd(''); setErrors([]);
    }
  }, [image]);

  const submit = async () => {
    if (!image) return;
    const p = parsePorts(ports);
    const e = parseEnv(env);
    const v = parseVolumes(volumes);
    const problems = [...p.errors, ...e.errors, ...v.errors];
    if (name && !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name)) problems.push('Names use letters, digits, _ . - and start with a letter or digit.');
    setErrors(problems);
    if (problems.length) return;
    setBusy(true);
    try {
      const command = cmd.trim() ? cmd.trim().split(/\s+/) : undefined;
      const res = await getApi().containers.run({
        image,
        ...(name ? { name } : {}),
        ...(command ? { cmd: command } : {}),
        env: e.env,
        ports: p.ports.map((x) => ({ hostIp: x.hostIp ?? '0.0.0.0', hostPort: x.hostPort, containerPort: x.containerPort, protocol: x.protocol })),
        volumes: v.volumes,
      });
      containersStore.invalidate();
      showToast('info', `Started ${name || res.id.slice(0, 12)} from ${image}.`);
      onClose();
      navigate({ view: 'containers' });
    } catch (err) {
      setErrors([toErrorInfo(err).message]);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={image !== undefined}
      title={`Run ${image ?? ''}`}
      onClose={onClose}
      onSubmit={() => void submit()}
      actions={
        <>
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="submit" className="primary" disabled={busy}>{busy ? 'Starting…' : 'Run'}</button>
        </>
      }
    >
      {errors.length > 0 && (
        <div className="error-box" role="alert">
          <div className="msg">{errors.join('\n')}</div>
        </div>
      )}
      <Field label="Container name" hint="Optional; docker picks one when empty.">
        {(a) => <input {...a} value={name} onChange={(e) => setName(e.target.value)} autoFocus spellCheck={false} />}
      </Field>
      <div className="form-row">
        <Field label="Ports" hint="host:container, e.g. 8080:80">
          {(a) => <textarea {...a} rows={3} value={ports} onChange={(e) => setPorts(e.target.value)} spellCheck={false} />}
        </Field>
        <Field label="Environment" hint="KEY=value, one per line">
          {(a) => <textarea {...a} rows={3} value={env} onChange={(e) => setEnv(e.target.value)} spellCheck={false} />}
        </Field>
      </div>
      <Field label="Volumes" hint="volume:/path or /host/path:/path[:ro], one per line">
        {(a) => <textarea {...a} rows={2} value={volumes} onChange={(e) => setVolumes(e.target.value)} spellCheck={false} />}
      </Field>
      <Field label="Command" hint="Optional; overrides the image's CMD (split on spaces)">
        {(a) => <input {...a} value={cmd} onChange={(e) => setCmd(e.target.value)} spellCheck={false} />}
      </Field>
    </Dialog>
  );
}

/** A labelled control with its hint as the accessible description (not part of the name). */
function Field({ label, hint, children }: { label: string; hint: string; children: (a: { id: string; 'aria-describedby': string }) => ReactNode }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <span className="field-hint" id={`${id}-hint`}>{hint}</span>
      {children({ id, 'aria-describedby': `${id}-hint` })}
    </div>
  );
}
