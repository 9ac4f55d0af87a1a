import { type ReactNode, type RefObject, useEffect, useId, useLayoutEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { cn } from '../../lib/cn';
import { XMarkIcon } from './icons';

const FOCUSABLE = [
  'a[href]',
  'button:not([disabled])',
  'input:not([disabled]):not([type="hidden"])',
  'select:not([disabled])',
  'textarea:not([disabled])',
  '[tabindex]:not([tabindex="-1"])',
].join(',');

function focusableIn(container: HTMLElement): HTMLElement[] {
  return Array.from(container.querySelectorAll<HTMLElement>(FOCUSABLE)).filter((element) => !element.closest('[inert]') && element.getClientRects().length > 0);
}

// Dialogs can stack (one opening another); only the top one answers keys, and the app stays inert
// until the last one closes.
const openDialogs: symbol[] = [];

function setAppInert(inert: boolean): void {
  const root = document.getElementById('root');
  if (root) root.inert = inert;
}

export interface DialogProps {
  open: boolean;
  onClose: () => void;
  title: ReactNode;
  description?: ReactNode;
  children: ReactNode;
  /** `alertdialog` for confirmations that interrupt the user. */
  role?: 'dialog' | 'alertdialog';
  /** Right-hand sheet (full height) instead of a centred card. */
  placement?: 'center' | 'right';
  /** Focused on open; defaults to the first field inside, else its first button other than Close. */
  initialFocus?: RefObject<HTMLElement | null>;
  /** False while something is being saved, so Esc and the backdrop cannot lose the work. */
  dismissible?: boolean;
  className?: string;
}

/**
 * A modal dialog: rendered over an inert app (so focus and screen readers stay inside), closes on
 * Esc and backdrop clicks, and hands focus back to whatever opened it.
 */
export function Dialog(props: DialogProps) {
  if (!props.open) return null;
  return createPortal(<DialogPanel {...props} />, document.body);
}

function DialogPanel({
  onClose,
  title,
  description,
  children,
  role = 'dialog',
  placement = 'center',
  initialFocus,
  dismissible = true,
  className,
}: DialogProps) {
  const panelRef = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const descriptionId = useId();
  // Read during render, before anything inside the dialog can take focus (StrictMode re-runs effects).
  const [opener] = useState(() => (document.activeElement instanceof HTMLElement ? document.activeElement : null));
  const onCloseRef = useRef(onClose);
  useEffect(() => {
    onCloseRef.current = onClose;
  });

  const dismissibleRef = useRef(dismissible);
  useEffect(() => {
    dismissibleRef.current = dismissible;
  });

  useLayoutEffect(() => {
    const id = Symbol('dialog');
    openDialogs.push(id);
    setAppInert(true);
    const panel = panelRef.current;
    if (panel) {
      // The first field rather than the header's Close button, which comes first in the markup.
      const focusable = focusableIn(panel);
      const target =
        initialFocus?.current ??
        panel.querySelector<HTMLElement>('[data-autofocus]') ??
        focusable.find((element) => element.matches('input, select, textarea')) ??
        focusable.find((element) => !element.hasAttribute('data-dialog-close')) ??
        panel;
      target.focus();
    }

    // On the document rather than the panel: when the focused control disappears (a removed row),
    // focus falls back to <body>, and Esc and Tab must still work.
    const handleKeyDown = (event: KeyboardEvent) => {
      if (openDialogs[openDialogs.length - 1] !== id || !panel) return;
      if (event.key === 'Escape') {
        event.preventDefault();
        if (dismissibleRef.current) onCloseRef.current();
        return;
      }
      if (event.key !== 'Tab') return;
      const focusable = focusableIn(panel);
      const first = focusable[0];
      const last = focusable[focusable.length - 1];
      const active = document.activeElement;
      if (!first || !last) {
        event.preventDefault();
        panel.focus();
      } else if (!panel.contains(active)) {
        event.preventDefault();
        (event.shiftKey ? last : first).focus();
      } else if (event.shiftKey && (active === first || active === panel)) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && active === last) {
        event.preventDefault();
        first.focus();
      }
    };
    document.addEventListener('keydown', handleKeyDown);

    return () => {
      document.removeEventListener('keydown', handleKeyDown);
      openDialogs.splice(openDialogs.indexOf(id), 1);
      if (openDialogs.length === 0) setAppInert(false);
      // After the app is interactive again, or the browser refuses to focus inside it.
      if (opener?.isConnected) opener.focus();
    };
    // Focus is placed once, when the dialog opens.
  }, [opener, initialFocus]);

  return (
    <div
      className={cn(
        'fixed inset-0 z-40 flex bg-slate-900/40 backdrop-blur-[2px] motion-safe:animate-fade-in',
        placement === 'center' ? 'items-end justify-center p-0 sm:items-center sm:p-4' : 'justify-end',
      )}
      onMouseDown={(event) => {
        if (event.target === event.currentTarget && dismissible) onCloseRef.current();
      }}
    >
      <div
        ref={panelRef}
        role={role}
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={description ? descriptionId : undefined}
        tabIndex={-1}
        className={cn(
          'relative flex w-full flex-col bg-white shadow-xl ring-1 ring-slate-900/5 focus:outline-none',
          placement === 'center'
            ? 'max-h-[92dvh] rounded-t-2xl motion-safe:animate-dialog-in sm:max-w-md sm:rounded-2xl'
            : 'h-full max-w-sm motion-safe:animate-sheet-in',
          className,
        )}
      >
        <div className="flex shrink-0 items-start justify-between gap-4 px-5 pb-2 pt-5">
          <div className="min-w-0">
            <h2 id={titleId} className="text-base font-semibold text-slate-900">
              {title}
            </h2>
            {description && (
              <p id={descriptionId} className="mt-1 text-sm text-slate-500">
                {description}
              </p>
            )}
          </div>
          {dismissible && (
            <button
              type="button"
              onClick={() => onCloseRef.current()}
              data-dialog-close=""
              className="-m-1.5 rounded-md p-1.5 text-slate-400 hover:bg-slate-100 hover:text-slate-600 focus-visible:outline-2 focus-visible:outline-indigo-600"
            >
              <XMarkIcon />
              <span className="sr-only">Close</span>
            </button>
          )}
        </div>
        {children}
      </div>
    </div>
  );
}
