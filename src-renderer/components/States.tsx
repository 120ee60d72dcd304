import type { ReactNode } from 'react';
import type { ErrorInfo } from '../stores/resource-store.js';

export function LoadingState({ label }: { label: string }) {
  return (
    <div className="state-box" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> <span>{label}</span>
    </div>
  );
}

export function EmptyState({ title, children, actions }: { title: string; children?: ReactNode; actions?: ReactNode }) {
  return (
    <div className="state-box">
      <h2>{title}</h2>
      {children && <div>{children}</div>}
      {actions && <div className="actions">{actions}</div>}
    </div>
  );
}

export function ErrorBox({ error, what, onRetry }: { error: ErrorInfo; what: string; onRetry?: () => void }) {
  return (
    <div className="error-box" role="alert">
      <div className="msg">
        <strong>Could not load {what}.</strong> {error.message}
      </div>
      {onRetry && <button type="button" className="small" onClick={onRetry}>Retry</button>}
    </div>
  );
}
