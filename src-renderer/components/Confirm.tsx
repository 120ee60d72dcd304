import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import { Dialog } from './Dialog.js';

interface ConfirmRequest {
  title: string;
  message: string;
  confirmLabel: string;
  danger?: boolean;
  resolve: (ok: boolean) => void;
}

const confirmStore = createStore<{ request: ConfirmRequest | undefined }>(() => ({ request: undefined }));

/** Asks before a destructive action; resolves true when confirmed. */
export function confirmAction(opts: Omit<ConfirmRequest, 'resolve'>): Promise<boolean> {
  return new Promise((resolve) => {
    confirmStore.getState().request?.resolve(false);
    confirmStore.setState({ request: { ...opts, resolve } });
  });
}

export function ConfirmHost() {
  const request = useStore(confirmStore, (s) => s.request);
  const done = (ok: boolean) => {
    request?.resolve(ok);
    confirmStore.setState({ request: undefined });
  };
  return (
    <Dialog
      open={request !== undefined}
      title={request?.title ?? ''}
      onClose={() => done(false)}
      onSubmit={() => done(true)}
      actions={
        <>
          <button type="button" onClick={() => done(false)} autoFocus>Cancel</button>
          <button type="submit" className={request?.danger ? 'danger solid' : 'primary'}>{request?.confirmLabel}</button>
        </>
      }
    >
      <p style={{ margin: 0 }}>{request?.message}</p>
    </Dialog>
  );
}
