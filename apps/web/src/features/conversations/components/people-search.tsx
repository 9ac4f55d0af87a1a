import type { PublicUser } from '@chat/shared';
import { type KeyboardEvent, useEffect, useId, useRef } from 'react';
import { Avatar } from '../../../components/ui/avatar';
import { MagnifyingGlassIcon } from '../../../components/ui/icons';
import { Spinner } from '../../../components/ui/spinner';
import { cn } from '../../../lib/cn';
import { useUserSearch } from '../api/use-user-search';

interface BaseProps {
  query: string;
  onQueryChange: (query: string) => void;
  /** People who cannot be picked (already members); shown greyed out with `excludedLabel`. */
  excludeIds?: ReadonlySet<string>;
  excludedLabel?: string;
  disabled?: boolean;
  autoFocus?: boolean;
  /** Enter in the search box acts on the first result. */
  onEnter?: (user: PublicUser) => void;
}

type PeopleSearchProps = BaseProps &
  (
    | { mode: 'single'; onPick: (user: PublicUser) => void; pendingId?: string | null }
    | { mode: 'multiple'; selectedIds: ReadonlySet<string>; onToggle: (user: PublicUser) => void }
  );

/**
 * "Search people": a search box with results underneath, either as buttons (pick one) or as
 * checkboxes (pick several). Arrow keys move between the box and the results.
 */
export function PeopleSearch(props: PeopleSearchProps) {
  const { query, onQueryChange, excludeIds, excludedLabel = 'Already added', disabled = false, autoFocus = false, onEnter } = props;
  const inputId = useId();
  const hintId = useId();
  const listRef = useRef<HTMLUListElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const { users, isIdle, isSearching, isError, refetch } = useUserSearch(query);
  const pickable = users.filter((user) => !excludeIds?.has(user.id));

  // When it appears, also inside a dialog that is already open ("Add people" in the members sheet).
  const focusOnMount = useRef(autoFocus);
  useEffect(() => {
    if (focusOnMount.current) inputRef.current?.focus();
  }, []);

  const controls = () => Array.from(listRef.current?.querySelectorAll<HTMLElement>('button:not([disabled]), input:not([disabled])') ?? []);

  const handleInputKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      controls()[0]?.focus();
    } else if (event.key === 'Enter') {
      // Never submit the surrounding form from the search box.
      event.preventDefault();
      const first = pickable[0];
      if (first && onEnter && !isSearching) onEnter(first);
    }
  };

  const handleListKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const items = controls();
    const index = items.indexOf(document.activeElement as HTMLElement);
    if (index === -1) return;
    event.preventDefault();
    if (event.key === 'ArrowUp' && index === 0) inputRef.current?.focus();
    else items[Math.min(items.length - 1, Math.max(0, index + (event.key === 'ArrowDown' ? 1 : -1)))]?.focus();
  };

  const showResults = !isIdle && users.length > 0;

  return (
    <div>
      <label htmlFor={inputId} className="block text-sm font-medium text-slate-700">
        Search people
      </label>
      <div className="relative mt-1.5">
        <MagnifyingGlassIcon className="pointer-events-none absolute left-3 top-1/2 size-4 -translate-y-1/2 text-slate-400" />
        <input
          ref={inputRef}
          id={inputId}
          type="search"
          value={query}
          onChange={(event) => onQueryChange(event.target.value)}
          onKeyDown={handleInputKeyDown}
          placeholder="Name or email address"
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          disabled={disabled}
          aria-describedby={hintId}
          data-autofocus={autoFocus || undefined}
          className="block w-full rounded-lg border border-slate-300 bg-white py-2 pl-9 pr-9 text-sm text-slate-900 shadow-xs placeholder:text-slate-400 focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500/20 disabled:bg-slate-50"
        />
        {isSearching && <Spinner className="absolute right-3 top-1/2 size-4 -translate-y-1/2 text-slate-400" />}
      </div>

      <p id={hintId} role="status" className="sr-only">
        {isIdle ? 'Type a name or an email address.' : isSearching ? '' : `${users.length} ${users.length === 1 ? 'person' : 'people'} found`}
      </p>

      <div className="mt-2">
        {isIdle && <p className="px-1 py-2 text-sm text-slate-500">Find people by their name, or by their exact email address.</p>}

        {!isIdle && isError && !isSearching && users.length === 0 && (
          <p role="alert" className="px-1 py-2 text-sm text-slate-600">
            Couldn't search right now.{' '}
            <button type="button" onClick={() => void refetch()} className="font-semibold text-indigo-600 hover:text-indigo-500">
              Try again
            </button>
          </p>
        )}

        {!isIdle && !isError && !isSearching && users.length === 0 && (
          <p className="px-1 py-2 text-sm text-slate-500">
            No one found for “<span className="font-medium text-slate-700">{query.trim()}</span>”.
          </p>
        )}

        {showResults && (
          <ul
            ref={listRef}
            aria-label="People"
            onKeyDown={handleListKeyDown}
            className={cn('-mx-1 max-h-60 space-y-0.5 overflow-y-auto p-1 transition-opacity', isSearching && 'opacity-60')}
          >
            {users.map((user) => {
              const excluded = excludeIds?.has(user.id) ?? false;
              if (props.mode === 'single') {
                const pending = props.pendingId === user.id;
                return (
                  <li key={user.id}>
                    <button
                      type="button"
                      onClick={() => props.onPick(user)}
                      disabled={disabled || excluded || Boolean(props.pendingId)}
                      aria-busy={pending || undefined}
                      className="group flex w-full items-center gap-3 rounded-lg px-2.5 py-2 text-left hover:bg-slate-50 focus-visible:bg-slate-50 focus-visible:outline-2 focus-visible:outline-indigo-600 disabled:cursor-not-allowed disabled:opacity-60"
                    >
                      <Avatar name={user.displayName} seed={user.id} />
                      <span className="min-w-0 flex-1 truncate text-sm font-medium text-slate-900">{user.displayName}</span>
                      {pending ? (
                        <Spinner className="size-4 text-indigo-600" />
                      ) : (
                        <span
                          aria-hidden="true"
                          className="text-xs font-medium text-indigo-600 opacity-0 transition-opacity group-hover:opacity-100 group-focus-visible:opacity-100"
                        >
                          {excluded ? excludedLabel : 'Message'}
                        </span>
                      )}
                    </button>
                  </li>
                );
              }
              const checked = excluded || props.selectedIds.has(user.id);
              return (
                <li key={user.id}>
                  <label
                    className={cn(
                      'flex cursor-pointer items-center gap-3 rounded-lg px-2.5 py-2 hover:bg-slate-50 has-focus-visible:bg-slate-50 has-focus-visible:outline-2 has-focus-visible:outline-indigo-600',
                      (excluded || disabled) && 'cursor-not-allowed opacity-60 hover:bg-transparent',
                    )}
                  >
                    <input
                      type="checkbox"
                      checked={checked}
                      disabled={disabled || excluded}
                      onChange={() => props.onToggle(user)}
                      className="size-4 shrink-0 rounded accent-indigo-600 focus:outline-none"
                    />
                    <Avatar name={user.displayName} seed={user.id} />
                    <span className="min-w-0 flex-1 truncate text-sm font-medium text-slate-900">{user.displayName}</span>
                    {excluded && <span className="text-xs text-slate-500">{excludedLabel}</span>}
                  </label>
                </li>
              );
            })}
          </ul>
        )}
      </div>
    </div>
  );
}
