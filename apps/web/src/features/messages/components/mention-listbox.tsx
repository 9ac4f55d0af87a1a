import { Avatar } from '../../../components/ui/avatar';
import { cn } from '../../../lib/cn';
import type { MentionOption } from '../hooks/use-mention-autocomplete';

export interface MentionListboxProps {
  id: string;
  options: readonly MentionOption[];
  activeIndex: number;
  optionId: (index: number) => string;
  onChoose: (index: number) => void;
  onHover: (index: number) => void;
  /** In a thread `@everyone` means its followers, not the group. */
  inThread?: boolean;
}

/** The members an `@` can name (composer or message editor), above the field; the field keeps focus throughout. */
export function MentionListbox({ id, options, activeIndex, optionId, onChoose, onHover, inThread = false }: MentionListboxProps) {
  return (
    <ul
      id={id}
      role="listbox"
      aria-label="Mention someone"
      className="absolute inset-x-0 bottom-full z-20 mb-2 max-h-64 overflow-y-auto overscroll-contain rounded-xl border border-slate-200 bg-white p-1 shadow-lg"
    >
      {options.map((option, index) => (
        <li
          key={option.id ?? 'everyone'}
          id={optionId(index)}
          role="option"
          aria-selected={index === activeIndex}
          // A click must not take focus from the field (the caret is where the name goes).
          onMouseDown={(event) => event.preventDefault()}
          onClick={() => onChoose(index)}
          onMouseMove={() => index !== activeIndex && onHover(index)}
          className={cn(
            'flex cursor-pointer items-center gap-2.5 rounded-lg px-2.5 py-2 text-sm text-slate-900',
            index === activeIndex ? 'bg-indigo-50 text-indigo-950' : 'hover:bg-slate-50',
          )}
        >
          {option.id === null ? (
            <>
              <span
                aria-hidden="true"
                className="inline-flex size-6 shrink-0 items-center justify-center rounded-full bg-amber-100 text-xs font-bold text-amber-800"
              >
                @
              </span>
              <span className="font-medium">everyone</span>
              <span className="truncate text-xs text-slate-500">
                <span className="sr-only">: </span>
                {inThread ? 'Notify everyone following this thread' : 'Notify everyone in this group'}
              </span>
            </>
          ) : (
            <>
              <Avatar name={option.name} seed={option.id} size="xs" />
              <span className="truncate font-medium">{option.name}</span>
            </>
          )}
        </li>
      ))}
    </ul>
  );
}
