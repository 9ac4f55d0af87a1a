import { type ReactNode, useRef } from 'react';
import { Alert } from './alert';
import { Button } from './button';
import { Dialog } from './dialog';

export interface ConfirmDialogProps {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  tone?: 'default' | 'danger';
  pending?: boolean;
  error?: string | null;
}

/** Asks before something that cannot be undone. Focus starts on Cancel, the safe choice. */
export function ConfirmDialog({ open, title, children, confirmLabel, onConfirm, onCancel, tone = 'danger', pending = false, error }: ConfirmDialogProps) {
  const cancelRef = useRef<HTMLButtonElement>(null);
  return (
    <Dialog open={open} onClose={onCancel} title={title} role="alertdialog" initialFocus={cancelRef} dismissible={!pending}>
      <div className="space-y-4 px-5 pb-5 pt-1 text-sm text-slate-600">
        {children}
        {error && <Alert>{error}</Alert>}
      </div>
      <div className="flex flex-col-reverse gap-2 border-t border-slate-100 bg-slate-50/60 px-5 py-4 sm:flex-row sm:justify-end sm:rounded-b-2xl">
        <Button ref={cancelRef} variant="secondary" onClick={onCancel} disabled={pending}>
          Cancel
        </Button>
        <Button variant={tone === 'danger' ? 'danger' : 'primary'} onClick={onConfirm} isLoading={pending}>
          {confirmLabel}
        </Button>
      </div>
    </Dialog>
  );
}
