import { useId } from 'react';
import type { HostInfo, Settings } from '../../../src-main/core/contract/index.js';
import { useSettingsStore } from '../../stores/settings-store.js';
import { ApplyBar } from './ApplyBar.js';

interface Choice<V extends string> {
  value: V;
  label: string;
  available: boolean;
  reason?: string;
  hint?: string;
}

/** A radio group whose unavailable choices are disabled and say why (visible and as the description). */
function ChoiceGroup<V extends string>({ legend, name, value, choices, onChange }: {
  legend: string;
  name: string;
  value: V;
  choices: Choice<V>[];
  onChange(value: V): void;
}) {
  const id = useId();
  return (
    <fieldset className="settings-field settings-choices">
      <legend className="settings-label">{legend}</legend>
      {choices.map((c) => {
        const descId = `${id}-${c.value}-desc`;
        const desc = !c.available ? `Not available on this computer: ${c.reason ?? 'this host cannot run it.'}` : c.hint;
        return (
          <div key={c.value} className={`settings-choice${c.available ? '' : ' settings-choice-disabled'}`}>
            <input
              id={`${id}-${c.value}`}
              type="radio"
              name={`${id}-${name}`}
              value={c.value}
              checked={value === c.value}
              disabled={!c.available}
              aria-describedby={desc ? descId : undefined}
              onChange={() => onChange(c.value)}
            />
            <div>
              <label htmlFor={`${id}-${c.value}`}>{c.label}</label>
              {desc && <p id={descId} className={c.available ? 'settings-hint' : 'settings-hint settings-unavailable'}>{desc}</p>}
            </div>
          </div>
        );
      })}
    </fieldset>
  );
}

const ACCEL_HINTS: Record<string, string> = {
  auto: 'Uses hardware acceleration when it works here, else software emulation.',
  kvm: 'Hardware virtualization through /dev/kvm: fast.',
  tcg: 'QEMU emulates the CPU in software: works everywhere, several times slower.',
  hvf: 'Apple Hypervisor.framework: fast.',
  whpx: 'Windows Hypervisor Platform: fast.',
};

function accelChoices(host: HostInfo, only?: ReadonlyArray<string>): Choice<Settings['accelerator']>[] {
  return host.accelerators
    .filter((a) => !only || only.includes(a.name))
    .map((a) => ({ value: a.name, label: a.label, available: a.available, reason: a.reason, hint: ACCEL_HINTS[a.name] }));
}

export function BackendTab() {
  const host = useSettingsStore((s) => s.host);
  const draft = useSettingsStore((s) => s.draft);
  const saved = useSettingsStore((s) => s.settings);
  const engine = useSettingsStore((s) => s.engine);
  const edit = useSettingsStore((s) => s.edit);
  if (!host || !draft) return null;

  const backend = (name: string) => host.backends.find((b) => b.name === name);
  const wsl = backend('wsl');
  const qemu = backend('qemu');
  const backendLabel = engine ? (backend(engine.backend)?.label ?? engine.backend) : undefined;
  const accelLabel = engine?.accelerator ? (host.accelerators.find((a) => a.name === engine.accelerator)?.label ?? engine.accelerator) : undefined;
  const arch = engine?.guestArch ? `, ${engine.guestArch === 'arm64' ? 'arm64 (aarch64)' : 'amd64 (x86-64)'} guest` : '';
  const running = backendLabel ? `${backendLabel}${accelLabel && engine?.backend === 'qemu' ? `, ${accelLabel}` : ''}${arch}` : undefined;

  return (
    <div className="settings-panel-body">
      <p className="settings-intro">
        How Wharf runs its Linux VM on this computer.
        {running && engine?.vm.state === 'running' && <> Running now: <strong data-testid="running-backend">{running}</strong>.</>}
        {engine && engine.vm.state !== 'running' && saved && (
          <> The engine is not running; it starts with <strong data-testid="running-backend">{backend(saved.backend)?.label ?? saved.backend}</strong>.</>
        )}
      </p>

      {(host.platform === 'win32' || wsl?.available) && (
        <ChoiceGroup
          legend="Engine"
          name="backend"
          value={draft.backend}
          choices={[
            {
              value: 'wsl', label: 'WSL 2', available: wsl?.available ?? false, reason: wsl?.reason ?? 'WSL 2 is not installed.',
              hint: 'Runs the engine in its own WSL 2 distributions: the default on Windows where WSL works. CPUs and memory are then WSL-wide (.wslconfig, see Resources).',
            },
            {
              value: 'qemu', label: host.platform === 'win32' ? 'QEMU with Windows Hypervisor Platform (WHPX)' : 'QEMU',
              available: qemu?.available ?? false, reason: qemu?.reason,
              hint: host.platform === 'win32'
                ? 'Runs a Wharf VM in QEMU, accelerated by WHPX where Windows has it. Its CPUs, memory and disk are set in Resources.'
                : 'Runs a Wharf VM in QEMU. Its CPUs, memory and disk are set in Resources.',
            },
          ]}
          onChange={(v) => edit({ backend: v })}
        />
      )}

      {host.platform === 'darwin' && (
        <ChoiceGroup
          legend="Virtual machine manager"
          name="backend"
          value={draft.backend}
          choices={host.backends.filter((b) => b.name === 'vz' || b.name === 'qemu').map((b) => ({
            value: b.name,
            label: b.label,
            available: b.available,
            reason: b.reason,
            hint: b.name === 'vz' ? 'Apple Virtualization framework: fastest, with virtiofs file sharing.' : 'QEMU: the fallback for older macOS.',
          }))}
          onChange={(v) => edit({ backend: v })}
        />
      )}

      {host.platform === 'linux' && draft.backend === 'qemu' && (
        <ChoiceGroup
          legend="CPU virtualization"
          name="accelerator"
          value={draft.accelerator}
          choices={accelChoices(host, ['auto', 'kvm', 'tcg'])}
          onChange={(v) => edit({ accelerator: v })}
        />
      )}

      {host.platform !== 'linux' && draft.backend === 'qemu' && (
        <ChoiceGroup
          legend="QEMU accelerator"
          name="accelerator"
          value={draft.accelerator}
          choices={accelChoices(host, host.platform === 'win32' ? ['auto', 'whpx', 'tcg'] : ['auto', 'hvf', 'tcg'])}
          onChange={(v) => edit({ accelerator: v })}
        />
      )}

      <details className="settings-details">
        <summary>Everything this computer was checked for</summary>
        <ul className="settings-availability">
          {host.backends.map((b) => (
            <li key={`b-${b.name}`}>
              <strong>{b.label}</strong>: {b.available ? 'available' : `not available (${b.reason ?? 'unknown reason'})`}
            </li>
          ))}
          {host.accelerators.map((a) => (
            <li key={`a-${a.name}`}>
              <strong>{a.label}</strong>: {a.available ? 'available' : `not available (${a.reason ?? 'unknown reason'})`}
            </li>
          ))}
        </ul>
      </details>
      <ApplyBar scope="backend" />
    </div>
  );
}
