import { type KeyboardEvent, type ReactNode, useCallback, useEffect, useId, useLayoutEffect, useRef, useState } from 'react';
import { cn } from '../../lib/cn';
import { IconButton } from './icon-button';

export interface PopoverMenuItem {
  label: string;
  onSelect: () => void;
  icon?: ReactNode;
  tone?: 'default' | 'danger';
  hidden?: boolean;
}

/** Space kept between the panel and the edge of the area it must stay inside. */
const EDGE_MARGIN = 8;

export interface PopoverProps {
  label: string;
  icon: ReactNode;
  className?: string;
  /** Classes of the panel beyond its frame (its width, its padding). */
  panelClassName?: string;
  /** A panel of form controls is a non-modal dialog named by `panelLabel`; a list of actions has no role. */
  panelRole?: 'dialog';
  panelLabel?: string;
  /** What takes focus as the panel opens: the first element in it that matches. */
  initialFocus?: string;
  /** Called whenever the panel closes (Esc, a click outside, the trigger, the content's own close). */
  onClose?: () => void;
  /** Keys in the panel other than Esc (which always closes it). */
  onPanelKeyDown?: (event: KeyboardEvent<HTMLDivElement>, close: (refocus: boolean) => void) => void;
  /** The panel's content; `close(true)` hands focus back to whatever had it when the panel opened. */
  children: (close: (refocus: boolean) => void) => ReactNode;
}

/**
 * A button that opens a small panel beside it. The panel opens upward when there is no room below
 * (inside the scrolling area it sits in, so it is never hidden under what follows, like a composer);
 * Esc or a click outside closes it, and closing with Esc hands focus back to whatever had it when the
 * panel opened (the trigger, or a message opened with Enter).
 */
export function Popover({
  label,
  icon,
  className,
  panelClassName,
  panelRole,
  panelLabel,
  initialFocus = 'button',
  onClose,
  onPanelKeyDown,
  children,
}: PopoverProps) {
  const [open, setOpen] = useState(false);
  const [placement, setPlacement] = useState<'below' | 'above'>('below');
  const [align, setAlign] = useState<'end' | 'start'>('end');
  const triggerRef = useRef<HTMLButtonElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const opener = useRef<HTMLElement | null>(null);
  const panelId = useId();
  const close = useCallback(
    (refocus: boolean) => {
      setOpen(false);
      onClose?.();
      if (!refocus) return;
      const target = opener.current?.isConnected ? opener.current : triggerRef.current;
      target?.focus();
    },
    [onClose],
  );

  const toggle = () => {
    // A click on the trigger already focuses it.
    if (open) return close(false);
    const active = document.activeElement;
    opener.current = active instanceof HTMLElement && active !== document.body ? active : triggerRef.current;
    setPlacement('below');
    setAlign('end');
    setOpen(true);
  };

  // Measured before paint, so the panel never flashes on the wrong side.
  useLayoutEffect(() => {
    const trigger = triggerRef.current;
    const panel = panelRef.current;
    if (!open || !trigger || !panel) return;
    const bounds = clippingBounds(trigger);
    const anchor = trigger.getBoundingClientRect();
    const height = panel.offsetHeight + EDGE_MARGIN;
    const below = bounds.bottom - anchor.bottom;
    const above = anchor.top - bounds.top;
    setPlacement(below >= height || below >= above ? 'below' : 'above');
    // Right-aligned to the trigger unless that pushes it past the left edge (a trigger beside a
    // short message on the left): then it opens rightward from the trigger's left edge.
    setAlign(anchor.right - panel.offsetWidth - EDGE_MARGIN < bounds.left ? 'start' : 'end');
  }, [open]);

  // Once per opening: a render while open (a choice saved) leaves focus where the user put it.
  useEffect(() => {
    if (open) panelRef.current?.querySelector<HTMLElement>(initialFocus)?.focus();
  }, [open, initialFocus]);

  useEffect(() => {
    if (!open) return;
    const closeOnOutside = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!panelRef.current?.contains(target) && !triggerRef.current?.contains(target)) close(false);
    };
    document.addEventListener('pointerdown', closeOnOutside);
    return () => document.removeEventListener('pointerdown', closeOnOutside);
  }, [open, close]);

  const handleKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'Escape') {
      // Only the panel closes: not the conversation, not a dialog around it.
      event.stopPropagation();
      close(true);
    } else {
      onPanelKeyDown?.(event, close);
    }
  };

  return (
    <div className={cn('relative', className)}>
      <IconButton
        ref={triggerRef}
        label={label}
        icon={icon}
        aria-haspopup={panelRole}
        aria-expanded={open}
        aria-controls={open ? panelId : undefined}
        onClick={toggle}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown' && !open) {
            event.preventDefault();
            toggle();
          }
        }}
        className={cn(open && 'bg-slate-100 text-slate-700')}
      />
      {open && (
        <div
          ref={panelRef}
          id={panelId}
          role={panelRole}
          aria-label={panelLabel}
          onKeyDown={handleKeyDown}
          data-placement={placement}
          className={cn(
            'absolute z-30 rounded-xl bg-white shadow-lg ring-1 ring-slate-900/10 motion-safe:animate-pop-in',
            panelClassName,
            align === 'end' ? 'right-0' : 'left-0',
            placement === 'below' ? 'top-full mt-1.5' : 'bottom-full mb-1.5',
            placement === 'below' ? (align === 'end' ? 'origin-top-right' : 'origin-top-left') : align === 'end' ? 'origin-bottom-right' : 'origin-bottom-left',
          )}
        >
          {children(close)}
        </div>
      )}
    </div>
  );
}

/**
 * A button that opens a small list of actions. The actions are plain buttons (a disclosure, not an
 * ARIA menu) so every assistive technology reads them the same way; arrow keys still move between
 * them, Esc closes and Tab leaves.
 */
export function PopoverMenu({ label, icon, items, className }: { label: string; icon: ReactNode; items: PopoverMenuItem[]; className?: string }) {
  const visible = items.filter((item) => !item.hidden);
  if (visible.length === 0) return null;

  const handleKeyDown = (event: KeyboardEvent<HTMLDivElement>, close: (refocus: boolean) => void) => {
    const buttons = Array.from(event.currentTarget.querySelectorAll<HTMLButtonElement>('button'));
    const index = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const move = (next: number) => {
      event.preventDefault();
      buttons[(next + buttons.length) % buttons.length]?.focus();
    };
    if (event.key === 'ArrowDown') move(index + 1);
    else if (event.key === 'ArrowUp') move(index - 1);
    else if (event.key === 'Home') move(0);
    else if (event.key === 'End') move(buttons.length - 1);
    else if (event.key === 'Tab') close(false);
  };

  return (
    <Popover label={label} icon={icon} className={className} panelClassName="w-56 p-1.5" onPanelKeyDown={handleKeyDown}>
      {(close) => (
        <ul className="space-y-0.5">
          {visible.map((item) => (
            <li key={item.label}>
              <button
                type="button"
                onClick={() => {
                  // Focus goes back to the trigger first, so a dialog opened by the action returns it there.
                  close(true);
                  item.onSelect();
                }}
                className={cn(
                  'flex w-full items-center gap-2.5 rounded-lg px-2.5 py-2 text-left text-sm font-medium focus:outline-none',
                  item.tone === 'danger'
                    ? 'text-red-600 hover:bg-red-50 focus-visible:bg-red-50'
                    : 'text-slate-700 hover:bg-slate-100 focus-visible:bg-slate-100',
                )}
              >
                {item.icon && (
                  <span className={cn('size-4 shrink-0', item.tone === 'danger' ? 'text-red-500' : 'text-slate-400')} aria-hidden="true">
                    {item.icon}
                  </span>
                )}
                {item.label}
              </button>
            </li>
          ))}
        </ul>
      )}
    </Popover>
  );
}

/** The visible area the panel must fit in: the nearest scrolling ancestor, or the window. */
function clippingBounds(element: HTMLElement): { top: number; bottom: number; left: number } {
  for (let node = element.parentElement; node; node = node.parentElement) {
    const overflow = getComputedStyle(node).overflowY;
    if (overflow === 'auto' || overflow === 'scroll' || overflow === 'hidden' || overflow === 'clip') {
      const rect = node.getBoundingClientRect();
      return { top: Math.max(0, rect.top), bottom: Math.min(window.innerHeight, rect.bottom), left: Math.max(0, rect.left) };
    }
  }
  return { top: 0, bottom: window.innerHeight, left: 0 };
}
