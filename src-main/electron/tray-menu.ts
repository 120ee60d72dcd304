import type { BackendName, VmState, VmStateName } from '../core/contract/types.js';

/**
 * The tray menu, icon and tooltip as pure functions of the VM state, so they
 * can be unit-tested without Electron. tray.ts turns the template into a real
 * Menu; nothing here imports 'electron' at runtime.
 */

/** The subset of Electron's MenuItemConstructorOptions the tray uses. */
export interface MenuTemplateItem {
  id?: string;
  label?: string;
  type?: 'normal' | 'separator';
  enabled?: boolean;
  accelerator?: string;
  click?: () => void;
}

export interface TrayMenuActions {
  onDashboard(): void;
  onStart(): void;
  onStop(): void;
  onRestart(): void;
  onSettings(): void;
  onQuit(): void;
}

export interface TrayMenuOptions extends TrayMenuActions {
  /** On 'darwin' Settings… and Quit carry the usual ⌘, and ⌘Q accelerators. Defaults to process.platform. */
  platform?: NodeJS.Platform;
  /** The engine's backend, shown under the state ("Engine: WSL 2"). */
  backend?: BackendName;
}

/** What the tray and the status bar call each backend. */
export const BACKEND_LABELS: Record<BackendName, string> = { qemu: 'QEMU', wsl: 'WSL 2', vz: 'Virtualization.framework' };

/** Longest error reason shown in the menu before it is cut with an ellipsis. */
export const MAX_REASON_LENGTH = 60;
/** Windows limits a tray tooltip to 127 characters (NOTIFYICONDATA.szTip). */
export const MAX_TOOLTIP_LENGTH = 127;

const KNOWN_STATES: readonly VmStateName[] = ['stopped', 'starting', 'running', 'stopping', 'error'];

/** Treats anything unexpected from the wire as 'stopped' rather than crashing the tray. */
export function normalizeState(state: VmState | undefined | null): VmState {
  if (!state || typeof state !== 'object' || !KNOWN_STATES.includes(state.state)) return { state: 'stopped' };
  return state;
}

export function truncate(text: string, max: number): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  if (oneLine.length <= max) return oneLine;
  return `${oneLine.slice(0, Math.max(0, max - 1)).trimEnd()}…`;
}

function errorReason(state: VmState, max: number): string {
  const reason = typeof state.reason === 'string' ? state.reason.trim() : '';
  return truncate(reason || 'unknown error', max);
}

/** The first, disabled line of the tray menu. */
export function stateLine(input: VmState): string {
  const state = normalizeState(input);
  switch (state.state) {
    case 'running': return 'Wharf is running';
    case 'starting': return 'Wharf is starting…';
    case 'stopping': return 'Wharf is stopping…';
    case 'stopped': return state.resourceSaver ? 'Resource Saver: the VM sleeps until the next docker command' : 'Wharf stopped';
    case 'error': return `Error: ${errorReason(state, MAX_REASON_LENGTH)}`;
  }
}

export interface EngineActionsEnabled {
  start: boolean;
  stop: boolean;
  restart: boolean;
}

/**
 * Which engine actions make sense in each state:
 * - stopped: only Start.
 * - starting: Stop (aborts the boot); Start/Restart would race the boot.
 * - running: Stop and Restart.
 * - stopping: nothing until it settles.
 * - error: everything — Start retries, Stop cleans up leftovers, Restart does both.
 */
export function actionsFor(input: VmState): EngineActionsEnabled {
  switch (normalizeState(input).state) {
    case 'stopped': return { start: true, stop: false, restart: false };
    case 'starting': return { start: false, stop: true, restart: false };
    case 'running': return { start: false, stop: true, restart: true };
    case 'stopping': return { start: false, stop: false, restart: false };
    case 'error': return { start: true, stop: true, restart: true };
  }
}

export function buildTrayMenu(input: VmState, opts: TrayMenuOptions): MenuTemplateItem[] {
  const state = normalizeState(input);
  const enabled = actionsFor(state);
  const mac = (opts.platform ?? process.platform) === 'darwin';
  return [
    { id: 'state', label: stateLine(state), enabled: false },
    ...(opts.backend ? [{ id: 'backend', label: `Engine: ${BACKEND_LABELS[opts.backend]}`, enabled: false }] : []),
    { type: 'separator' },
    { id: 'dashboard', label: 'Dashboard', click: () => opts.onDashboard() },
    { type: 'separator' },
    { id: 'start', label: 'Start', enabled: enabled.start, click: () => opts.onStart() },
    { id: 'stop', label: 'Stop', enabled: enabled.stop, click: () => opts.onStop() },
    { id: 'restart', label: 'Restart', enabled: enabled.restart, click: () => opts.onRestart() },
    { type: 'separator' },
    { id: 'settings', label: 'Settings…', accelerator: mac ? 'Command+,' : undefined, click: () => opts.onSettings() },
    { type: 'separator' },
    { id: 'quit', label: 'Quit Wharf', accelerator: mac ? 'Command+Q' : undefined, click: () => opts.onQuit() },
  ].map((item) => {
    // Drop undefined keys so the template is plain and easy to compare in tests.
    const clean: MenuTemplateItem = {};
    for (const [k, v] of Object.entries(item)) if (v !== undefined) (clean as Record<string, unknown>)[k] = v;
    return clean;
  });
}

/** Icon per state; 'stopping' shares the transitional icon with 'starting'. */
export type TrayIconName = 'running' | 'starting' | 'stopped' | 'error';

export const TRAY_ICON_NAMES: readonly TrayIconName[] = ['running', 'starting', 'stopped', 'error'];

export function trayIconFor(input: VmState): TrayIconName {
  switch (normalizeState(input).state) {
    case 'running': return 'running';
    case 'starting':
    case 'stopping': return 'starting';
    case 'stopped': return 'stopped';
    case 'error': return 'error';
  }
}

export function trayTooltipFor(input: VmState, backend?: BackendName): string {
  const state = normalizeState(input);
  const on = backend ? ` (${BACKEND_LABELS[backend]})` : '';
  const text = state.state === 'error'
    ? `Wharf${on} — error: ${errorReason(state, MAX_TOOLTIP_LENGTH)}`
    : `Wharf${on} — ${state.state === 'running' ? 'running' : state.state === 'stopped' ? (state.resourceSaver ? 'Resource Saver' : 'stopped') : `${state.state}…`}`;
  return truncate(text, MAX_TOOLTIP_LENGTH);
}
