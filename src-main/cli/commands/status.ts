import fs from 'node:fs';
import type { BackendName, EngineStatus } from '../../core/contract/types.js';
import { backendSetting } from '../../core/contract/settings-schema.js';
import type { WharfPaths } from '../../core/paths.js';

function mib(bytes?: number): string {
  return bytes === undefined ? 'n/a' : `${Math.round(bytes / 1024 / 1024)} MiB`;
}

function describeSync(y: NonNullable<EngineStatus['syncedShares']>[number]): string {
  switch (y.state) {
    case 'ready': return `ready${y.files !== undefined ? ` (${y.files.toLocaleString('en')} files` : ''}${y.seconds !== undefined ? `${y.files !== undefined ? ', ' : ' ('}first sync ${y.seconds} s` : ''}${y.files !== undefined || y.seconds !== undefined ? ')' : ''}${y.reason ? `; ${y.reason}` : ''}`;
    case 'copying': return 'copying into the VM (bind mounts of it wait until this is done)';
    case 'waiting': return 'waiting for the VM';
    case 'error': return `sync failed: ${y.reason ?? 'unison stopped'}`;
  }
}

export function formatStatus(s: EngineStatus, _paths?: WharfPaths): string {
  const lines = [
    `State:        ${s.vm.state}${s.vm.reason ? ` (${s.vm.reason})` : ''}`,
    `Backend:      ${s.backend}${s.accelerator ? `, accelerator ${s.accelerator}` : ''}${s.guestArch ? `, guest ${s.guestArch}` : ''}`,
    `Socket:       ${s.socketPath}`,
    `Context:      ${s.dockerContext}`,
    `Versions:     wharf ${s.versions.wharf}${Object.entries(s.versions.backend ?? {}).map(([k, v]) => `, ${k} ${v}`).join('')}${s.versions.kernel ? `, kernel ${s.versions.kernel}` : ''}${s.versions.docker ? `, docker ${s.versions.docker}` : ''}${s.versions.containerd ? `, containerd ${s.versions.containerd}` : ''}`,
  ];
  if (s.fileSharing) lines.push(`File sharing: ${s.fileSharing.mechanism} (${s.fileSharing.reason})`);
  for (const y of s.syncedShares ?? []) lines.push(`Synced:       ${y.path}: ${describeSync(y)}`);
  if (s.resources) lines.push(`Resources:    ${s.resources.cpus} CPUs, ${s.resources.memoryMiB} MiB memory${s.resources.diskGiB !== undefined ? `, ${s.resources.diskGiB} GiB disk` : ''}`);
  if (s.vm.state === 'running') lines.push(`Host memory:  ${mib(s.vmHostMemoryBytes)} (VM process RSS)`);
  const rs = s.resourceSaver;
  if (rs?.sleeping) {
    lines[0] = `State:        Resource Saver (the VM is stopped; the next docker command wakes it)`;
    if (rs.memoryReturnedBytes) lines.push(`Host memory:  ${mib(rs.memoryReturnedBytes)} returned to the host`);
  }
  if (rs) lines.push(`Resource Saver: ${rs.minutes ? `after ${rs.minutes} idle min${rs.lastWakeSeconds !== undefined ? `; last wake took ${rs.lastWakeSeconds.toFixed(1)} s` : ''}` : 'off'}`);
  if (s.viewTarget) lines.push(`UI shows:     context ${s.viewTarget.context} (${s.viewTarget.host})`);
  for (const n of s.notices) lines.push(`Notice:       ${n.message}`);
  return lines.join('\n');
}

/** The backend the saved settings name, without starting anything; undefined when unreadable. */
export function savedBackend(paths: WharfPaths): BackendName | undefined {
  try {
    const value = (JSON.parse(fs.readFileSync(paths.settings, 'utf8')) as { backend?: unknown }).backend;
    return backendSetting.safeParse(value).success ? (value as BackendName) : undefined;
  } catch {
    return undefined;
  }
}

/** A status when no core runs: nothing is started just to answer. */
export function stoppedStatus(paths: WharfPaths, version: string, backend: BackendName): EngineStatus {
  return { vm: { state: 'stopped' }, backend, socketPath: paths.dockerSocket, dockerContext: 'wharf', versions: { wharf: version }, notices: [] };
}
