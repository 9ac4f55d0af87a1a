import { type KeyboardEvent, type ReactNode, useEffect, useId, useLayoutEffect, useRef, useState } from 'react';
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

/**
 * A button that opens a small list of actions. The actions are plain buttons (a disclosure, not an
 * ARIA menu) so every assistive technology reads them the same way; arrow keys still move between
 * them and Esc closes. The panel opens upward when there is no room below (inside the scrolling
 * area it sits in, so it is never hidden under what follows, like a composer), and closing hands
 * focus back to whatever had it when the menu opened (the trigger, or a message opened with Enter).
 */
export function PopoverMenu({ label, icon, items, className }: { label: string; icon: ReactNode; items: PopoverMenuItem[]; className?: string }) {
  const [open, setOpen] = useState(false);
  const [placement, setPlacement] = useState<'below' | 'above'>('below');
  const [align, setAlign] = useState<'end' | 'start'>('end');
  const triggerRef = useRef<HTMLButtonElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const opener = useRef<HTMLElement | null>(null);
  const panelId = useId();
  const visible = items.filter((item) => !item.hidden);

  const toggle = () => {
    if (!open) {
      const active = document.activeElement;
      opener.current = active instanceof HTMLElement && active !== document.body ? active : triggerRef.current;
      setPlacement('below');
      setAlign('end');
    }
    setOpen((value) => !value);
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

  useEffect(() => {
    if (!open) return;
    panelRef.current?.querySelector<HTMLElement>('button')?.focus();
    const closeOnOutside = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!panelRef.current?.contains(target) && !triggerRef.current?.contains(target)) setOpen(false);
    };
    document.addEventListener('pointerdown', closeOnOutside);
    return () => document.removeEventListener('pointerdown', closeOnOutside);
  }, [open]);

  const close = (refocus: boolean) => {
    setOpen(false);
    if (!refocus) return;
    const target = opener.current?.isConnected ? opener.current : triggerRef.current;
    target?.focus();
  };

  const handleKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const buttons = Array.from(panelRef.current?.querySelectorAll<HTMLButtonElement>('button') ?? []);
    const index = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const move = (next: number) => {
      event.preventDefault();
      buttons[(next + buttons.length) % buttons.length]?.focus();
    };
    if (event.key === 'Escape') {
      event.stopPropagation();
      close(true);
    } else if (event.key === 'ArrowDown') move(index + 1);
    else if (event.key === 'ArrowUp') move(index - 1);
    else if (event.key === 'Home') move(0);
    else if (event.key === 'End') move(buttons.length - 1);
    else if (event.key === 'Tab') setOpen(false);
  };

  if (visible.length === 0) return null;

  return (
    <div className={cn('relative', className)}>
      <IconButton
        ref={triggerRef}
        label={label}
        icon={icon}
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
          onKeyDown={handleKeyDown}
          data-placement={placement}
          className={cn(
            'absolute z-30 w-56 rounded-xl bg-white p-1.5 shadow-lg ring-1 ring-slate-900/10 motion-safe:animate-pop-in',
            align === 'end' ? 'right-0' : 'left-0',
            placement === 'below' ? 'top-full mt-1.5' : 'bottom-full mb-1.5',
            placement === 'below' ? (align === 'end' ? 'origin-top-right' : 'origin-top-left') : align === 'end' ? 'origin-bottom-right' : 'origin-bottom-left',
          )}
        >
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
        </div>
      )}
    </div>
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
