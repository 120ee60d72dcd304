import { useEffect, useState } from 'react';
import type { ApplyPlan } from '../../../src-main/core/contract/index.js';
import { RESTART_SCOPES, SCOPE_KEYS, useSettingsStore, type Scope } from '../../stores/settings-store.js';
import { Dialog } from '../../components/Dialog.js';
import { describeChange, labelForKey } from './format.js';

export interface ApplyBarProps {
  scope: Scope;
  /** "Apply & restart" where the change always restarts something. */
  label?: string;
  /** Set when local checks fail: the button stays disabled and this says why. */
  blockedReason?: string;
  /** Refusals the tab already shows next to their field (not repeated here). */
  shownInline?: readonly string[];
}

function restartText(plan: ApplyPlan, scope: Scope): string {
  if (plan.restartsVm) return 'The VM restarts: running containers stop and start again only if their restart policy says so.';
  if (plan.restartsEngine || RESTART_SCOPES.has(scope)) return 'The Docker engine restarts: running containers stop and start again only if their restart policy says so.';
  return 'Nothing needs to restart.';
}

/**
 * The footer of a settings tab: what the pending change will restart (asked of
 * the core as the draft changes), "Apply & restart" with a confirmation, the
 * progress while the VM restarts, and the core's errors.
 */
export function ApplyBar({ scope, label = 'Apply & restart', blockedReason, shownInline = [] }: ApplyBarProps) {
  const settings = useSettingsStore((s) => s.settings);
  // A string, so the selector is stable; it changes exactly when this tab's patch does.
  const patchKey = useSettingsStore((s) => JSON.stringify(s.patchFor(scope)));
  const dirtyKeys = useSettingsStore((s) => s.dirtyKeys);
  const plan = useSettingsStore((s) => s.plan);
  const apply = useSettingsStore((s) => s.apply);
  const engine = useSettingsStore((s) => s.engine);
  const requestPlan = useSettingsStore((s) => s.requestPlan);
  const applyScope = useSettingsStore((s) => s.applyScope);
  const discard = useSettingsStore((s) => s.discard);
  const [confirming, setConfirming] = useState(false);

  const dirty = SCOPE_KEYS[scope].some((k) => dirtyKeys.includes(k));
  const patch = JSON.parse(patchKey) as Record<string, unknown>;

  useEffect(() => {
    if (!dirty || blockedReason) return;
    const t = setTimeout(() => void requestPlan(scope), 250);
    return () => clearTimeout(t);
  }, [patchKey, dirty, blockedReason, scope, requestPlan]);

  const myPlan = plan.scope === scope && plan.key === patchKey ? plan : undefined;
  const myApply = apply.scope === scope ? apply : undefined;
  const running = myApply?.phase === 'saving' || myApply?.phase === 'restarting';
  const refused = myPlan?.result?.refused ?? [];
  const refusedHere = refused.filter((r) => !shownInline.includes(r.key));
  const planReady = myPlan?.state === 'ready' && myPlan.result !== undefined;
  const canApply = dirty && !blockedReason && !running && myPlan?.state !== 'error' && refused.length === 0;

  const onApply = async () => {
    const result = planReady ? myPlan.result : await requestPlan(scope);
    if (!result || result.refused.length > 0) return;
    if (result.restartsVm || result.restartsEngine || RESTART_SCOPES.has(scope)) setConfirming(true);
    else await applyScope(scope);
  };

  const onConfirm = async () => {
    setConfirming(false);
    await applyScope(scope);
  };

  const changes = settings
    ? Object.entries(patch).map(([k, v]) => describeChange(k, (settings as Record<string, unknown>)[k], v))
    : [];

  return (
    <div className="settings-applybar">
      <div className="settings-applybar-info" aria-live="polite">
        {!dirty && !running && myApply?.phase !== 'done' && myApply?.phase !== 'error' && <span className="settings-muted">No unsaved changes.</span>}
        {dirty && blockedReason && <span className="settings-muted">{blockedReason}</span>}
        {dirty && !blockedReason && myPlan?.state === 'loading' && <span className="settings-muted">Checking what this change restarts…</span>}
        {dirty && !blockedReason && planReady && refused.length === 0 && (
          <span data-testid="apply-plan">{restartText(myPlan.result!, scope)}{myPlan.result!.warnings?.map((w) => <span key={w} className="settings-warning"> {w}</span>)}</span>
        )}
        {dirty && refusedHere.length > 0 && (
          <ul className="settings-errors" role="alert">
            {refusedHere.map((r) => <li key={r.key + r.reason}><strong>{labelForKey(r.key)}:</strong> {r.reason}</li>)}
          </ul>
        )}
        {dirty && myPlan?.state === 'error' && (
          <div className="settings-error" role="alert"><strong>{myPlan.error?.name}:</strong> {myPlan.error?.message}</div>
        )}
        {running && (
          <div role="status" className="settings-progress">
            <span className="settings-spinner" aria-hidden="true" />
            {myApply.phase === 'saving' ? 'Saving settings…' : restartProgress(engine)}
            {myApply.phase === 'restarting' && engine?.boot && (
              <progress max={1} value={engine.boot.fraction} aria-label="Restart progress" />
            )}
          </div>
        )}
        {myApply?.phase === 'done' && !dirty && (
          <div role="status" className="settings-ok">Applied.{engine?.vm.state === 'running' ? ' The engine is running with the new settings.' : ''}</div>
        )}
        {myApply?.phase === 'error' && (
          <div role="alert" className="settings-error">
            {myApply.error && <div><strong>{myApply.error.name}:</strong> {myApply.error.message}</div>}
            {myApply.engineErrors.length > 0 && (
              <div>
                The engine did not accept the new configuration and went back to the previous one. It said:
                <pre className="settings-pre">{myApply.engineErrors.join('\n')}</pre>
              </div>
            )}
          </div>
        )}
      </div>
      <div className="settings-applybar-buttons">
        <button type="button" className="settings-btn" disabled={!dirty || running} onClick={() => discard(scope)}>Discard changes</button>
        <button type="button" className="settings-btn primary" disabled={!canApply} onClick={() => void onApply()}>{label}</button>
      </div>
      {confirming && myPlan?.result && (
        <Dialog
          open
          title={label === 'Apply' ? 'Apply these settings?' : 'Apply and restart?'}
          onClose={() => setConfirming(false)}
          actions={(
            <>
              <button type="button" className="settings-btn" onClick={() => setConfirming(false)}>Cancel</button>
              <button type="button" className="settings-btn primary" data-autofocus onClick={() => void onConfirm()}>{label}</button>
            </>
          )}
        >
          <p>These settings change:</p>
          <ul className="settings-changes">
            {changes.map((c) => <li key={c}>{c}</li>)}
          </ul>
          <p data-testid="confirm-plan"><strong>{restartText(myPlan.result, scope)}</strong></p>
          {myPlan.result.warnings?.map((w) => <p key={w} className="settings-warning" role="note" data-testid="confirm-warning">{w}</p>)}
          {myPlan.result.changed.length > 0 && (
            <p className="settings-muted">The core reports these keys as changed: {myPlan.result.changed.map(labelForKey).join(', ')}.</p>
          )}
        </Dialog>
      )}
    </div>
  );
}

function restartProgress(engine: ReturnType<typeof useSettingsStore.getState>['engine']): string {
  if (!engine) return 'Restarting…';
  const vm = engine.vm.state;
  if (vm === 'stopping') return 'Stopping the VM…';
  if (vm === 'starting') {
    const b = engine.boot;
    return b ? `Starting the VM: ${b.milestone} (${Math.round(b.fraction * 100)}%, ${Math.round(b.elapsedSeconds)} s)…` : 'Starting the VM…';
  }
  if (vm === 'running') return 'Restarting the engine…';
  return 'Restarting…';
}
