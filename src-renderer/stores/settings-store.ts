import { create } from 'zustand';
import type {
  ApplyPlan, DiagnosticsResult, EngineStatus, HostInfo, HostWideResources, HostWideWriteResult, Notice, Settings, SettingsKey, SettingsPatch, WireError,
} from '../../src-main/core/contract/index.js';
import { getApi, getTransport, onEvent } from '../ipc/index.js';

/**
 * The Settings views' store. It loads the saved settings, the host's facts and
 * the engine status, keeps a draft the tabs edit, and refetches when the core
 * says settings or the engine changed (an 'invalidate' event). It never polls.
 *
 * Each tab applies only its own keys (a "scope"), so an unfinished edit on one
 * tab (say invalid daemon.json) never blocks or sneaks into another tab's apply.
 */

export type Scope = 'general' | 'resources' | 'proxies' | 'resourceSaver' | 'fileSharing' | 'engine' | 'backend';

export const SCOPE_KEYS: Record<Scope, readonly SettingsKey[]> = {
  general: ['switchContext', 'startAtLogin'],
  resources: ['cpus', 'memory', 'swap', 'disk'],
  // Engine proxies restart the engine (the core's plan says so); container proxies and Resource Saver restart nothing.
  proxies: ['httpProxy', 'httpsProxy', 'noProxy', 'containerHttpProxy', 'containerHttpsProxy', 'containerNoProxy'],
  resourceSaver: ['resourceSaverMinutes'],
  fileSharing: ['fileShares', 'fileSharing', 'syncedShares'],
  engine: ['daemonJson'],
  backend: ['backend', 'accelerator'],
};

const ALL_KEYS: readonly SettingsKey[] = Object.values(SCOPE_KEYS).flat();

/**
 * Tabs whose every setting only takes effect on a restart. Their "Apply &
 * restart" always restarts, even if the core's plan (relative to what it
 * believes the VM runs) says nothing would: after a rolled-back daemon.json
 * that belief can be stale, and the user asked for a restart.
 */
export const RESTART_SCOPES: ReadonlySet<Scope> = new Set<Scope>(['resources', 'fileSharing', 'engine', 'backend']);

export type TroubleshootAction = 'restart' | 'collect' | 'cleanData' | 'factoryReset';

export interface Op<T = unknown> {
  state: 'idle' | 'running' | 'done' | 'error';
  result?: T;
  error?: WireError;
}

export interface PlanState {
  scope?: Scope;
  state: 'idle' | 'loading' | 'ready' | 'error';
  /** JSON of the patch the result belongs to, so a stale answer is never shown for a newer draft. */
  key?: string;
  result?: ApplyPlan;
  error?: WireError;
}

export interface ApplyState {
  scope?: Scope;
  phase: 'idle' | 'saving' | 'restarting' | 'done' | 'error';
  error?: WireError;
  /** Set when the engine refused the new configuration and rolled back: dockerd's words. */
  engineErrors: string[];
}

export interface DaemonCheck {
  state: 'idle' | 'checking' | 'valid' | 'invalid';
  errors: string[];
}

export interface SettingsState {
  status: 'idle' | 'loading' | 'ready' | 'error';
  loadError?: WireError;
  settings?: Settings;
  host?: HostInfo;
  engine?: EngineStatus;
  /** The saved backend's host-wide CPU/memory file (null: its limits are its own; undefined: not loaded). */
  hostWide?: HostWideResources | null;
  hostWideWrite: Op<HostWideWriteResult>;
  draft?: Settings;
  /** The Docker Engine tab's text; `draft.daemonJson` follows it while it parses. */
  daemonText: string;
  daemonCheck: DaemonCheck;
  dirty: boolean;
  dirtyKeys: SettingsKey[];
  plan: PlanState;
  apply: ApplyState;
  actions: Record<TroubleshootAction, Op>;

  load(): Promise<void>;
  /** Listens for invalidations and VM state; returns the unsubscribe. */
  subscribe(): () => void;
  edit(patch: SettingsPatch): void;
  setDaemonText(text: string): void;
  discard(scope?: Scope): void;
  patchFor(scope: Scope): SettingsPatch;
  isDirty(scope: Scope): boolean;
  requestPlan(scope: Scope): Promise<ApplyPlan | undefined>;
  /** Saves the scope's patch and, if the plan needs it, restarts. Resolves true on success. */
  applyScope(scope: Scope): Promise<boolean>;
  /** Asks the core whether adding `path` to the shares is acceptable; returns the reason if not. */
  checkFileShare(path: string): Promise<string | undefined>;
  /**
   * Asks the core whether `path` may be added to the synchronized folders
   * (with the draft's shared directories); returns the reason if not.
   */
  checkSyncedShare(path: string): Promise<string | undefined>;
  restartEngine(): Promise<void>;
  /**
   * Writes the draft's CPUs, memory and swap to the host-wide file and saves
   * them. `consent` is the user's tick; without it the core writes nothing.
   */
  writeHostWide(consent: boolean): Promise<boolean>;
  collectDiagnostics(): Promise<void>;
  cleanData(): Promise<void>;
  factoryReset(): Promise<void>;
  clearAction(action: TroubleshootAction): void;
}

export interface SettingsStoreOptions {
  /** Delay before asking the core to validate daemon.json text. */
  validateDelayMs?: number;
  /** Delay that coalesces bursts of invalidations into one refetch. */
  refetchDelayMs?: number;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k)
    && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

export function toWireError(err: unknown): WireError {
  const code = err && typeof err === 'object' && 'code' in err && typeof err.code === 'string' ? { code: err.code } : {};
  if (err instanceof Error) return { name: err.name, message: err.message, ...code };
  if (err && typeof err === 'object' && 'message' in err) {
    const e = err as { name?: unknown; message: unknown };
    return { name: String(e.name ?? 'Error'), message: String(e.message), ...code };
  }
  return { name: 'Error', message: String(err) };
}

export function formatDaemonJson(value: Record<string, unknown>): string {
  return Object.keys(value).length === 0 ? '{}\n' : `${JSON.stringify(value, null, 2)}\n`;
}

/** Local checks that need no round trip: it parses, and it is an object. */
export function parseDaemonText(text: string): { ok: true; value: Record<string, unknown> } | { ok: false; error: string } {
  if (text.trim() === '') return { ok: false, error: 'daemon.json is empty; write {} for no options.' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: `Not valid JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, error: 'daemon.json must be a JSON object, like {"debug": true}.' };
  }
  return { ok: true, value: value as Record<string, unknown> };
}

function computeDirty(settings: Settings | undefined, draft: Settings | undefined, daemonText: string): SettingsKey[] {
  if (!settings || !draft) return [];
  const keys = ALL_KEYS.filter((k) => k !== 'daemonJson' && !deepEqual(settings[k], draft[k]));
  const parsed = parseDaemonText(daemonText);
  const daemonDirty = parsed.ok
    ? !deepEqual(parsed.value, settings.daemonJson)
    : daemonText.trim() !== formatDaemonJson(settings.daemonJson).trim();
  if (daemonDirty) keys.push('daemonJson');
  return keys;
}

/**
 * Notices that report this apply's failure, as messages: new ones, plus any
 * daemon.json refusal (the core clears those when an apply starts, so one
 * present afterwards is about this apply even if its text repeats).
 */
export function applyNotices(before: ReadonlySet<string>, after: readonly Notice[]): string[] {
  return after.filter((n) => !before.has(n.message) || n.code === 'daemon-json-rejected').map((n) => n.message);
}

/** Of those, the ones that mean dockerd refused the engine configuration. */
export function daemonJsonRefusals(before: ReadonlySet<string>, after: readonly Notice[]): string[] {
  return applyNotices(before, after.filter((n) => n.code === 'daemon-json-rejected'));
}

export function createSettingsStore(options: SettingsStoreOptions = {}) {
  const validateDelayMs = options.validateDelayMs ?? 400;
  const refetchDelayMs = options.refetchDelayMs ?? 150;
  let validateTimer: ReturnType<typeof setTimeout> | undefined;
  let validateSeq = 0;
  let planSeq = 0;
  let refetchSettingsTimer: ReturnType<typeof setTimeout> | undefined;
  let refetchEngineTimer: ReturnType<typeof setTimeout> | undefined;

  return create<SettingsState>()((set, get) => {
    const withDirty = (partial: Partial<SettingsState>): Partial<SettingsState> => {
      const s = { ...get(), ...partial };
      const dirtyKeys = computeDirty(s.settings, s.draft, s.daemonText);
      return { ...partial, dirtyKeys, dirty: dirtyKeys.length > 0 };
    };

    /**
     * New saved settings arrived. Keys the user has not touched follow the
     * saved value; keys with an edit in progress keep the edit.
     */
    const rebase = (next: Settings, accepted: readonly string[] = []) => {
      const { settings: prev, draft, daemonText } = get();
      if (!prev || !draft) {
        set(withDirty({ settings: next, draft: structuredClone(next), daemonText: formatDaemonJson(next.daemonJson), daemonCheck: { state: 'valid', errors: [] } }));
        return;
      }
      const merged: Settings = structuredClone(next);
      for (const k of ALL_KEYS) {
        if (k === 'daemonJson' || accepted.includes(k)) continue;
        if (!deepEqual(prev[k], draft[k])) (merged as Record<string, unknown>)[k] = draft[k];
      }
      // Keys just saved take the saved (possibly normalized) value.
      const textUntouched = accepted.includes('daemonJson') || daemonText.trim() === formatDaemonJson(prev.daemonJson).trim();
      const nextText = textUntouched ? formatDaemonJson(next.daemonJson) : daemonText;
      const parsed = parseDaemonText(nextText);
      merged.daemonJson = parsed.ok ? parsed.value : next.daemonJson;
      set(withDirty({
        settings: next,
        draft: merged,
        daemonText: nextText,
        ...(textUntouched ? { daemonCheck: { state: 'valid' as const, errors: [] } } : {}),
      }));
    };

    /** Follows the saved backend: a switch to or from one with host-wide limits changes what Resources shows. */
    const fetchHostWide = async () => {
      try {
        set({ hostWide: await getApi().settings.hostWideResources() });
      } catch {
        set({ hostWide: null });
      }
    };
    const fetchSettings = async () => {
      try {
        rebase(await getApi().settings.get());
      } catch (err) {
        set({ loadError: toWireError(err) });
      }
      await fetchHostWide();
    };
    /** Notices before the last engine-scope apply, to tell a late rollback notice from an old one. */
    let engineApplyBaseline: ReadonlySet<string> | undefined;
    let engineApplyText: string | undefined;
    const fetchEngine = async () => {
      try {
        const engine = await getApi().engine.status();
        set({ engine });
        // dockerd's refusal can arrive after apply() returned: turn "done" into the error it is.
        const { apply } = get();
        if (engineApplyBaseline && apply.scope === 'engine' && apply.phase === 'done') {
          const engineErrors = daemonJsonRefusals(engineApplyBaseline, engine.notices);
          if (engineErrors.length) {
            set({ apply: { ...apply, phase: 'error', engineErrors } });
            if (engineApplyText !== undefined && get().daemonText !== engineApplyText) get().setDaemonText(engineApplyText);
          }
        }
      } catch {
        // The status is decoration here (notices, progress); settings stay usable without it.
      }
    };

    const runAction = async <T>(action: TroubleshootAction, fn: () => Promise<T>) => {
      set({ actions: { ...get().actions, [action]: { state: 'running' } } });
      try {
        const result = await fn();
        set({ actions: { ...get().actions, [action]: { state: 'done', result } } });
      } catch (err) {
        set({ actions: { ...get().actions, [action]: { state: 'error', error: toWireError(err) } } });
      }
    };

    const idle: Op = { state: 'idle' };

    return {
      status: 'idle',
      daemonText: '',
      daemonCheck: { state: 'idle', errors: [] },
      dirty: false,
      dirtyKeys: [],
      plan: { state: 'idle' },
      apply: { phase: 'idle', engineErrors: [] },
      actions: { restart: idle, collect: idle, cleanData: idle, factoryReset: idle },
      hostWideWrite: idle as Op<HostWideWriteResult>,

      async load() {
        set({ status: 'loading', loadError: undefined });
        const api = getApi();
        try {
          const [settings, host, engine, hostWide] = await Promise.all([
            api.settings.get(),
            api.vm.host(),
            api.engine.status().catch(() => undefined),
            api.settings.hostWideResources().catch(() => null),
          ]);
          set({ host, engine, hostWide, settings: undefined, draft: undefined });
          rebase(settings);
          set({ status: 'ready' });
        } catch (err) {
          set({ status: 'error', loadError: toWireError(err) });
        }
      },

      subscribe() {
        const transport = getTransport();
        const offs = [
          onEvent(transport, 'invalidate', ({ topic }) => {
            if (topic === 'settings') {
              clearTimeout(refetchSettingsTimer);
              // A settings change can come with a notice (e.g. a daemon.json rolled back): refresh both.
              refetchSettingsTimer = setTimeout(() => void Promise.all([fetchSettings(), fetchEngine()]), refetchDelayMs);
            } else if (topic === 'engine') {
              clearTimeout(refetchEngineTimer);
              refetchEngineTimer = setTimeout(() => void fetchEngine(), refetchDelayMs);
            }
          }),
          onEvent(transport, 'vmState', (vm) => {
            const engine = get().engine;
            if (engine) set({ engine: { ...engine, vm } });
          }),
          onEvent(transport, 'bootProgress', (boot) => {
            const engine = get().engine;
            if (engine) set({ engine: { ...engine, boot } });
          }),
        ];
        return () => {
          for (const off of offs) off();
          clearTimeout(refetchSettingsTimer);
          clearTimeout(refetchEngineTimer);
          clearTimeout(validateTimer);
        };
      },

      edit(patch) {
        const draft = get().draft;
        if (!draft) return;
        const next = { ...draft, ...structuredClone(patch) } as Settings;
        const extra: Partial<SettingsState> = {};
        if (patch.daemonJson) extra.daemonText = formatDaemonJson(patch.daemonJson);
        set(withDirty({ draft: next, ...extra }));
      },

      setDaemonText(text) {
        const { draft } = get();
        const parsed = parseDaemonText(text);
        clearTimeout(validateTimer);
        const seq = ++validateSeq;
        if (!parsed.ok) {
          // Refused at once; the core's message (with line and column) replaces ours when it answers.
          set(withDirty({ daemonText: text, daemonCheck: { state: 'invalid', errors: [parsed.error] } }));
        } else {
          set(withDirty({
            daemonText: text,
            draft: draft ? { ...draft, daemonJson: parsed.value } : draft,
            daemonCheck: { state: 'checking', errors: [] },
          }));
        }
        validateTimer = setTimeout(async () => {
          let check: DaemonCheck;
          try {
            const res = await getApi().settings.validateDaemonJson(text);
            const ok = res.ok && parsed.ok;
            const errors = res.errors.length ? res.errors : parsed.ok ? [] : [parsed.error];
            check = { state: ok ? 'valid' : 'invalid', errors: ok ? [] : errors };
          } catch (err) {
            check = { state: 'invalid', errors: parsed.ok ? [`Could not check daemon.json: ${toWireError(err).message}`] : [parsed.error] };
          }
          if (seq === validateSeq) set({ daemonCheck: check });
        }, validateDelayMs);
      },

      discard(scope) {
        const { settings, draft } = get();
        if (!settings || !draft) return;
        const keys = scope ? SCOPE_KEYS[scope] : ALL_KEYS;
        const next = { ...draft } as Record<string, unknown>;
        for (const k of keys) next[k] = structuredClone(settings[k]);
        const extra: Partial<SettingsState> = {};
        if (keys.includes('daemonJson')) {
          clearTimeout(validateTimer);
          validateSeq++;
          extra.daemonText = formatDaemonJson(settings.daemonJson);
          extra.daemonCheck = { state: 'valid', errors: [] };
        }
        set(withDirty({ draft: next as Settings, ...extra }));
      },

      patchFor(scope) {
        const { settings, draft, daemonText } = get();
        if (!settings || !draft) return {};
        const patch: Record<string, unknown> = {};
        for (const k of SCOPE_KEYS[scope]) {
          if (k === 'daemonJson') {
            const parsed = parseDaemonText(daemonText);
            if (parsed.ok && !deepEqual(parsed.value, settings.daemonJson)) patch.daemonJson = parsed.value;
          } else if (!deepEqual(settings[k], draft[k])) {
            patch[k] = draft[k];
          }
        }
        return patch as SettingsPatch;
      },

      isDirty(scope) {
        const dirtyKeys = get().dirtyKeys;
        return SCOPE_KEYS[scope].some((k) => dirtyKeys.includes(k));
      },

      async requestPlan(scope) {
        const patch = get().patchFor(scope);
        const key = JSON.stringify(patch);
        const seq = ++planSeq;
        if (Object.keys(patch).length === 0) {
          set({ plan: { scope, state: 'idle', key } });
          return undefined;
        }
        set({ plan: { scope, state: 'loading', key } });
        try {
          const result = await getApi().settings.plan(patch);
          if (seq === planSeq) set({ plan: { scope, state: 'ready', key, result } });
          return result;
        } catch (err) {
          if (seq === planSeq) set({ plan: { scope, state: 'error', key, error: toWireError(err) } });
          return undefined;
        }
      },

      async applyScope(scope) {
        const patch = get().patchFor(scope);
        if (Object.keys(patch).length === 0) return true;
        if (scope === 'engine' && get().daemonCheck.state !== 'valid') {
          set({ apply: { scope, phase: 'error', engineErrors: [], error: { name: 'InvalidDaemonJson', message: 'Fix the errors in daemon.json first.' } } });
          return false;
        }
        const api = getApi();
        const noticesBefore = new Set((get().engine?.notices ?? []).map((n) => n.message));
        engineApplyBaseline = scope === 'engine' ? noticesBefore : undefined;
        engineApplyText = scope === 'engine' ? get().daemonText : undefined;
        const attemptedText = get().daemonText;
        // After a rollback the editor shows what the user tried, so they can fix it.
        const keepAttempt = () => {
          if (scope === 'engine' && get().daemonText !== attemptedText) get().setDaemonText(attemptedText);
        };
        set({ apply: { scope, phase: 'saving', engineErrors: [] } });
        let needsRestart: boolean;
        try {
          const saved = await api.settings.set(patch);
          needsRestart = saved.plan.restartsVm || saved.plan.restartsEngine || RESTART_SCOPES.has(scope);
          rebase(saved.settings, Object.keys(patch));
        } catch (err) {
          set({ apply: { scope, phase: 'error', engineErrors: [], error: toWireError(err) } });
          return false;
        }
        if (!needsRestart) {
          set({ apply: { scope, phase: 'done', engineErrors: [] } });
          return true;
        }
        set({ apply: { scope, phase: 'restarting', engineErrors: [] } });
        let engine: EngineStatus;
        try {
          engine = await api.settings.apply();
        } catch (err) {
          // The core may have rolled back; show what it says and what is saved now.
          await Promise.all([fetchSettings(), fetchEngine()]);
          const engineErrors = applyNotices(noticesBefore, get().engine?.notices ?? []);
          keepAttempt();
          set({ apply: { scope, phase: 'error', engineErrors, error: toWireError(err) } });
          return false;
        }
        set({ engine });
        await fetchSettings();
        const engineErrors = applyNotices(noticesBefore, engine.notices);
        const failed = engine.vm.state === 'error';
        if (failed || engineErrors.length > 0) keepAttempt();
        set({
          apply: {
            scope,
            phase: failed || (scope === 'engine' && engineErrors.length > 0) ? 'error' : 'done',
            engineErrors,
            ...(failed ? { error: { name: 'VmError', message: engine.vm.reason ?? 'The VM did not come back up.' } } : {}),
          },
        });
        return !failed && !(scope === 'engine' && engineErrors.length > 0);
      },

      async checkFileShare(path) {
        const { draft } = get();
        if (!draft) return 'Settings are not loaded yet.';
        try {
          const plan = await getApi().settings.plan({ fileShares: [...draft.fileShares, path] });
          const refused = plan.refused.filter((r) => r.key === 'fileShares' || r.key.startsWith('fileShares'));
          // The core prefixes reasons with the key ("fileShares: …"); the field already says what it is.
          return refused.length ? refused.map((r) => r.reason.replace(/^fileShares:\s*/, '')).join(' ') : undefined;
        } catch (err) {
          return toWireError(err).message;
        }
      },

      async checkSyncedShare(path) {
        const { draft } = get();
        if (!draft) return 'Settings are not loaded yet.';
        try {
          // The draft's shares too: the folder may sit in a directory added but not yet applied.
          const plan = await getApi().settings.plan({ fileShares: draft.fileShares, syncedShares: [...draft.syncedShares, path] });
          // Only refusals about this folder: one about another entry (say, deleted since) is the Apply bar's to show.
          const quoted = JSON.stringify(path.trim()).slice(1, -1);
          const refused = plan.refused.filter((r) => r.key === 'syncedShares' && (r.reason.includes(`"${path.trim()}"`) || r.reason.includes(`"${quoted}"`)));
          return refused.length ? refused.map((r) => r.reason.replace(/^syncedShares:\s*/, '')).join(' ') : undefined;
        } catch (err) {
          return toWireError(err).message;
        }
      },

      async restartEngine() {
        await runAction('restart', async () => {
          const engine = await getApi().engine.restart();
          set({ engine });
          return engine;
        });
      },
      async writeHostWide(consent) {
        const { draft } = get();
        if (!draft) return false;
        set({ hostWideWrite: { state: 'running' } });
        try {
          // The contract takes only `true`: a missing tick reaches the core as false and is refused there too.
          const r = await getApi().settings.writeHostWideResources({ cpus: draft.cpus, memory: draft.memory, swap: draft.swap, consent: consent as true });
          const { settings: saved, ...result } = r;
          rebase(saved, ['cpus', 'memory', 'swap']);
          set({ hostWideWrite: { state: 'done', result } });
          await fetchHostWide();
          return true;
        } catch (err) {
          set({ hostWideWrite: { state: 'error', error: toWireError(err) } });
          return false;
        }
      },
      async collectDiagnostics() {
        await runAction<DiagnosticsResult>('collect', () => getApi().diagnostics.collect());
      },
      async cleanData() {
        await runAction('cleanData', () => getApi().diagnostics.cleanData('confirm'));
      },
      async factoryReset() {
        await runAction('factoryReset', async () => {
          await getApi().diagnostics.factoryReset('confirm');
          await Promise.all([fetchSettings(), fetchEngine()]);
        });
      },
      clearAction(action) {
        set({ actions: { ...get().actions, [action]: { state: 'idle' } } });
      },
    };
  });
}

export const useSettingsStore = createSettingsStore();
