import { useId } from 'react';
import type { SettingsKey } from '../../../src-main/core/contract/index.js';
import { useSettingsStore } from '../../stores/settings-store.js';
import { ApplyBar } from './ApplyBar.js';
import { noProxyError, proxyUrlError } from './proxy-checks.js';

interface FieldProps {
  name: SettingsKey;
  label: string;
  /** The accessible name, which also says the group (the visible label is short). */
  fullLabel: string;
  placeholder: string;
  hint: string;
  value: string;
  error?: string;
  onChange(value: string): void;
}

function TextField({ name, label, fullLabel, placeholder, hint, value, error, onChange }: FieldProps) {
  const id = useId();
  return (
    <div className="settings-field" data-setting={name}>
      <label htmlFor={id} className="settings-label">{label}</label>
      <input
        id={id}
        type="text"
        className="settings-text"
        aria-label={fullLabel}
        value={value}
        placeholder={placeholder}
        spellCheck={false}
        autoComplete="off"
        aria-describedby={`${id}-hint${error ? ` ${id}-err` : ''}`}
        aria-invalid={error ? true : undefined}
        onChange={(e) => onChange(e.target.value)}
      />
      <p id={`${id}-hint`} className="settings-hint">{hint}</p>
      {error && <p id={`${id}-err`} className="settings-field-error" role="alert">{error}</p>}
    </div>
  );
}

type Group = 'engine' | 'containers';
const KEYS: Record<Group, { http: SettingsKey; https: SettingsKey; noProxy: SettingsKey }> = {
  engine: { http: 'httpProxy', https: 'httpsProxy', noProxy: 'noProxy' },
  containers: { http: 'containerHttpProxy', https: 'containerHttpsProxy', noProxy: 'containerNoProxy' },
};

/** Settings → Resources → Proxies: one set for the engine's pulls, one the docker CLI hands to containers. */
export function ProxiesTab() {
  const draft = useSettingsStore((s) => s.draft);
  const edit = useSettingsStore((s) => s.edit);
  if (!draft) return null;
  const errors: Partial<Record<SettingsKey, string>> = {};
  for (const g of ['engine', 'containers'] as const) {
    const k = KEYS[g];
    const http = proxyUrlError(draft[k.http] as string);
    const https = proxyUrlError(draft[k.https] as string);
    const no = noProxyError(draft[k.noProxy] as string);
    if (http) errors[k.http] = http;
    if (https) errors[k.https] = https;
    if (no) errors[k.noProxy] = no;
  }
  const errorKeys = Object.keys(errors);

  const group = (g: Group, title: string, intro: string) => {
    const k = KEYS[g];
    return (
      <fieldset className="settings-fieldset">
        <legend className="settings-label settings-legend">{title}</legend>
        <p className="settings-hint">{intro}</p>
        <TextField name={k.http} label="HTTP proxy" fullLabel={`${title}: HTTP proxy`} placeholder="http://proxy.example.com:3128" value={draft[k.http] as string}
          hint="Used for http:// addresses." error={errors[k.http]} onChange={(v) => edit({ [k.http]: v })} />
        <TextField name={k.https} label="HTTPS proxy" fullLabel={`${title}: HTTPS proxy`} placeholder="http://proxy.example.com:3128" value={draft[k.https] as string}
          hint="Used for https:// addresses (most registries)." error={errors[k.https]} onChange={(v) => edit({ [k.https]: v })} />
        <TextField name={k.noProxy} label="Bypass the proxy for" fullLabel={`${title}: bypass the proxy for`} placeholder="localhost,.corp.example.com,10.0.0.0/8" value={draft[k.noProxy] as string}
          hint="Comma-separated hosts, .domains, IPs and CIDRs reached directly." error={errors[k.noProxy]} onChange={(v) => edit({ [k.noProxy]: v })} />
      </fieldset>
    );
  };

  return (
    <div className="settings-panel-body">
      <p className="settings-intro">
        Proxies for networks that reach the internet only through one. A proxy on this computer's own
        loopback (127.0.0.1, localhost) is reached from the VM and from containers as host.docker.internal.
      </p>
      {group('engine', 'Docker Engine', 'dockerd uses these for pulls and pushes. Changing them restarts the engine.')}
      {group('containers', 'Containers', 'The docker CLI passes these to new containers and builds as HTTP_PROXY, HTTPS_PROXY and NO_PROXY (its config.json "proxies"). Nothing restarts; running containers keep what they had.')}
      <ApplyBar scope="proxies" label="Apply" blockedReason={errorKeys.length ? 'Fix the values marked above first.' : undefined} shownInline={errorKeys} />
    </div>
  );
}
