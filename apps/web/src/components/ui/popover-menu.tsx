import { type KeyboardEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { cn } from '../../lib/cn';
import { IconButton } from './icon-button';

export interface PopoverMenuItem {
  label: string;
  onSelect: () => void;
  icon?: ReactNode;
  tone?: 'default' | 'danger';
  hidden?: boolean;
}

/**
 * A button that opens a small list of actions. The actions are plain buttons (a disclosure, not an
 * ARIA menu) so every assistive technology reads them the same way; arrow keys still move between
 * them and Esc closes.
 */
export function PopoverMenu({ label, icon, items, className }: { label: string; icon: ReactNode; items: PopoverMenuItem[]; className?: string }) {
  const [open, setOpen] = useState(false);
  const triggerRef = useRef<HTMLButtonElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const panelId = useId();
  const visible = items.filter((item) => !item.hidden);

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
    if (refocus) triggerRef.current?.focus();
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
        onClick={() => setOpen((value) => !value)}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown' && !open) {
            event.preventDefault();
            setOpen(true);
          }
        }}
        className={cn(open && 'bg-slate-100 text-slate-700')}
      />
      {open && (
        <div
          ref={panelRef}
          id={panelId}
          onKeyDown={handleKeyDown}
          className="absolute right-0 top-full z-30 mt-1.5 w-56 origin-top-right rounded-xl bg-white p-1.5 shadow-lg ring-1 ring-slate-900/10 motion-safe:animate-pop-in"
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
