import { useEffect, useId, useState } from 'react';
import { useSettingsStore } from '../../stores/settings-store.js';
import { ApplyBar } from './ApplyBar.js';
import { HostWideApply, HostWideNote } from './HostWidePanel.js';
import { formatMiB, resourceBounds, resourceErrors, type ResourceKey } from './format.js';

interface SliderProps {
  name: ResourceKey;
  label: string;
  unit: string;
  value: number;
  min: number;
  max: number;
  step: number;
  /** Text under the label, e.g. the host's size. */
  hint: string;
  /** Human form of the value, e.g. "8 GiB" for 8192 MiB. */
  pretty?: string;
  error?: string;
  onChange(value: number): void;
}

/** A range input with a labelled number field showing (and taking) the same value. */
function ResourceSlider({ name, label, unit, value, min, max, step, hint, pretty, error, onChange }: SliderProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errId = `${id}-err`;
  const [text, setText] = useState(String(value));
  useEffect(() => { setText(String(value)); }, [value]);
  const describedBy = error ? `${hintId} ${errId}` : hintId;

  return (
    <div className="settings-field settings-slider" data-resource={name}>
      <div className="settings-slider-head">
        <label htmlFor={`${id}-range`} className="settings-label">{label}</label>
        <span className="settings-readout">
          <input
            type="number"
            className="settings-number"
            aria-label={`${label} (${unit})`}
            aria-describedby={describedBy}
            aria-invalid={error ? true : undefined}
            value={text}
            min={min}
            max={max}
            step={step}
            onChange={(e) => {
              setText(e.target.value);
              const n = Number(e.target.value);
              if (e.target.value.trim() !== '' && Number.isFinite(n)) onChange(n);
            }}
            onBlur={() => setText(String(value))}
          />
          <span className="settings-unit">{unit}</span>
          <span className="settings-muted settings-pretty">{pretty && pretty !== `${value} ${unit}` ? `(${pretty})` : ''}</span>
        </span>
      </div>
      <input
        id={`${id}-range`}
        type="range"
        className="settings-range"
        min={min}
        max={max}
        step={step}
        value={Math.min(max, Math.max(min, value))}
        aria-valuetext={pretty ?? `${value} ${unit}`}
        aria-describedby={describedBy}
        aria-invalid={error ? true : undefined}
        onChange={(e) => onChange(Number(e.target.value))}
      />
      <div className="settings-range-ends" aria-hidden="true">
        <span>{ends(name, min, unit)}</span>
        <span>{ends(name, max, unit)}</span>
      </div>
      <p id={hintId} className="settings-hint">{hint}</p>
      {error && <p id={errId} className="settings-field-error" role="alert">{error}</p>}
    </div>
  );
}

function ends(name: ResourceKey, n: number, unit: string): string {
  if (name === 'memory' || name === 'swap') return n === 0 ? 'off' : formatMiB(n);
  if (name === 'cpus') return `${n} ${n === 1 ? 'CPU' : 'CPUs'}`;
  return `${n} ${unit}`;
}

export function ResourcesTab() {
  const host = useSettingsStore((s) => s.host);
  const settings = useSettingsStore((s) => s.settings);
  const draft = useSettingsStore((s) => s.draft);
  const edit = useSettingsStore((s) => s.edit);
  const engine = useSettingsStore((s) => s.engine);
  const restartEngine = useSettingsStore((s) => s.restartEngine);
  const restarting = useSettingsStore((s) => s.actions.restart.state === 'running' || s.apply.phase === 'restarting');
  const hostWide = useSettingsStore((s) => s.hostWide);
  if (!host || !settings || !draft) return null;

  // Saved (say with `wharf set`) but the running VM still has the old size.
  // Host-wide limits are not the VM's to compare: the file says what applies.
  const running = engine?.vm.state === 'running' && !hostWide ? engine.resources : undefined;
  const stale = running && (running.cpus !== settings.cpus || running.memoryMiB !== settings.memory || running.diskGiB !== settings.disk);

  const b = resourceBounds(host, settings);
  const errors = resourceErrors(draft, host, settings);
  if (hostWide) delete errors.disk;
  const errorKeys = Object.keys(errors);

  return (
    <div className="settings-panel-body">
      {hostWide
        ? <HostWideNote info={hostWide} />
        : <p className="settings-intro">How much of this computer the Docker VM may use. Changes take effect after the VM restarts.</p>}
      {stale && running && !restarting && (
        <div className="settings-pending" role="status">
          <span>
            The VM runs with {running.cpus} {running.cpus === 1 ? 'CPU' : 'CPUs'}, {formatMiB(running.memoryMiB)} and a {running.diskGiB} GiB disk;
            the saved settings ({settings.cpus} {settings.cpus === 1 ? 'CPU' : 'CPUs'}, {formatMiB(settings.memory)}, {settings.disk} GiB) take effect at its next restart.
          </span>
          <button type="button" className="settings-btn" onClick={() => void restartEngine()}>Restart now</button>
        </div>
      )}
      <ResourceSlider
        name="cpus" label="CPUs" unit="CPUs" value={draft.cpus} {...b.cpus}
        hint={`This host has ${host.cpus} CPUs.`}
        error={errors.cpus}
        onChange={(cpus) => edit({ cpus })}
      />
      <ResourceSlider
        name="memory" label="Memory" unit="MiB" value={draft.memory} {...b.memory}
        pretty={formatMiB(draft.memory)}
        hint={`This host has ${formatMiB(host.memoryMiB)}. Leave enough for your own programs.`}
        error={errors.memory}
        onChange={(memory) => edit({ memory })}
      />
      <ResourceSlider
        name="swap" label="Swap" unit="MiB" value={draft.swap} {...b.swap}
        pretty={draft.swap === 0 ? 'off' : formatMiB(draft.swap)}
        hint="Swap lets the VM run memory-hungry builds more slowly instead of failing. 0 turns it off."
        error={errors.swap}
        onChange={(swap) => edit({ swap })}
      />
      {hostWide ? (
        <>
          <p className="settings-hint" data-testid="hostwide-disk">
            Disk: images, containers and volumes live in their own distribution, whose virtual disk grows as it fills; there is no size to set.
          </p>
          <HostWideApply info={hostWide} blockedReason={errorKeys.length ? 'Fix the values marked above first.' : undefined} />
        </>
      ) : (
        <>
          <ResourceSlider
            name="disk" label="Disk size" unit="GiB" value={draft.disk} {...b.disk}
            hint={`The data disk holds images, containers and volumes. It is ${settings.disk} GiB now and can only grow; it takes host space only as it fills.`}
            error={errors.disk}
            onChange={(disk) => edit({ disk })}
          />
          <ApplyBar
            scope="resources"
            blockedReason={errorKeys.length ? 'Fix the values marked above first.' : undefined}
            shownInline={errorKeys}
          />
        </>
      )}
    </div>
  );
}
