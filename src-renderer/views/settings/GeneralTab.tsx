import { useId } from 'react';
import { useSettingsStore } from '../../stores/settings-store.js';
import { ApplyBar } from './ApplyBar.js';

interface ToggleProps {
  label: string;
  description: string;
  checked: boolean;
  onChange(checked: boolean): void;
}

export function Toggle({ label, description, checked, onChange }: ToggleProps) {
  const id = useId();
  return (
    <div className="settings-field settings-toggle">
      <input id={id} type="checkbox" checked={checked} aria-describedby={`${id}-desc`} onChange={(e) => onChange(e.target.checked)} />
      <div>
        <label htmlFor={id} className="settings-label">{label}</label>
        <p id={`${id}-desc`} className="settings-hint">{description}</p>
      </div>
    </div>
  );
}

export function GeneralTab() {
  const draft = useSettingsStore((s) => s.draft);
  const engine = useSettingsStore((s) => s.engine);
  const edit = useSettingsStore((s) => s.edit);
  if (!draft) return null;
  const context = engine?.dockerContext ?? 'wharf';
  return (
    <div className="settings-panel-body">
      <Toggle
        label="Switch the docker context on start"
        description={`When Wharf starts, make “${context}” the current docker context so docker commands reach it; when it stops, switch back to the context you had before.`}
        checked={draft.switchContext}
        onChange={(switchContext) => edit({ switchContext })}
      />
      <Toggle
        label="Start Wharf when you log in"
        description="Starts the app and the engine in the background when you log in to this computer."
        checked={draft.startAtLogin}
        onChange={(startAtLogin) => edit({ startAtLogin })}
      />
      <ApplyBar scope="general" label="Apply" />
    </div>
  );
}
