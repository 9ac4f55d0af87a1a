import { type FormEvent, type KeyboardEvent, useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { IconButton } from '../../../components/ui/icon-button';
import { MagnifyingGlassIcon, XMarkIcon } from '../../../components/ui/icons';
import { cn } from '../../../lib/cn';
import { useAuth } from '../../auth';
import { useConversations } from '../../conversations';
import { messageFocusLink } from '../../messages';
import { useMessageSearch } from '../api/use-message-search';
import { useSearchShortcut } from '../hooks/use-search-shortcut';
import { resultConversationName } from '../lib/result-names';
import { SearchResults } from './search-results';

const isApple = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.userAgent);

/**
 * The header's message search: an input from sm up, an icon that opens it full width on phones.
 * Ctrl/Cmd+K focuses it from anywhere; results show in a panel below it as a listbox the arrow
 * keys move through, and Enter or a click opens the message in its conversation.
 */
export function MessageSearch() {
  const navigate = useNavigate();
  const { user } = useAuth();
  const [query, setQuery] = useState('');
  const [submitted, setSubmitted] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const [expanded, setExpanded] = useState(false);
  const [activeIndex, setActiveIndex] = useState(-1);
  const inputRef = useRef<HTMLInputElement>(null);
  const containerRef = useRef<HTMLDivElement>(null);
  const inputId = useId();
  const listId = useId();
  const search = useMessageSearch(query, submitted);
  const { results } = search;
  const { data: conversations } = useConversations();
  const conversationsById = useMemo(() => new Map(conversations?.map((conversation) => [conversation.id, conversation])), [conversations]);
  const panelVisible = open && !search.isIdle;
  const optionId = (index: number) => `${listId}-option-${index}`;

  const focusInput = useCallback(() => {
    setExpanded(true);
    setOpen(true);
    // On phones the input shows only once expanded: focus it after that render.
    requestAnimationFrame(() => {
      inputRef.current?.focus();
      inputRef.current?.select();
    });
  }, []);
  useSearchShortcut(focusInput);

  useEffect(() => {
    if (!open && !expanded) return;
    const closeOnOutside = (event: PointerEvent) => {
      if (containerRef.current?.contains(event.target as Node)) return;
      setOpen(false);
      setExpanded(false);
    };
    document.addEventListener('pointerdown', closeOnOutside);
    return () => document.removeEventListener('pointerdown', closeOnOutside);
  }, [open, expanded]);

  const close = () => {
    setOpen(false);
    setExpanded(false);
    setActiveIndex(-1);
  };

  const openResult = (index: number) => {
    const result = results[index];
    if (!result) return;
    close();
    inputRef.current?.blur();
    void navigate(messageFocusLink(result.conversation.id, result.message));
  };

  const move = (delta: number) => {
    if (results.length === 0) return;
    setOpen(true);
    const next = activeIndex === -1 ? (delta > 0 ? 0 : results.length - 1) : Math.max(0, Math.min(results.length - 1, activeIndex + delta));
    setActiveIndex(next);
    document.getElementById(optionId(next))?.scrollIntoView({ block: 'nearest' });
  };

  const handleKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      move(event.key === 'ArrowDown' ? 1 : -1);
    } else if (event.key === 'Home' && activeIndex !== -1) {
      event.preventDefault();
      move(-results.length);
    } else if (event.key === 'End' && activeIndex !== -1) {
      event.preventDefault();
      move(results.length);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      if (panelVisible) setOpen(false);
      else {
        close();
        inputRef.current?.blur();
      }
    }
  };

  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (panelVisible && activeIndex !== -1) openResult(activeIndex);
    else {
      setSubmitted(query);
      setOpen(true);
    }
  };

  return (
    <div ref={containerRef} className="flex min-w-0 justify-end sm:relative sm:max-w-md sm:flex-1 sm:justify-center">
      <IconButton
        label="Search messages"
        icon={<MagnifyingGlassIcon />}
        onClick={focusInput}
        aria-keyshortcuts="Control+K Meta+K"
        className={cn('sm:hidden', expanded && 'hidden')}
      />
      <form
        role="search"
        onSubmit={handleSubmit}
        className={cn(
          expanded ? 'absolute inset-x-0 top-0 z-30 flex h-14 items-center gap-2 border-b border-slate-200 bg-white px-3' : 'hidden',
          'sm:static sm:z-auto sm:flex sm:h-auto sm:w-full sm:border-0 sm:bg-transparent sm:px-0',
        )}
      >
        <label htmlFor={inputId} className="sr-only">
          Search messages
        </label>
        <div className="relative min-w-0 flex-1">
          <MagnifyingGlassIcon className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-slate-400" />
          <input
            ref={inputRef}
            id={inputId}
            type="search"
            role="combobox"
            autoComplete="off"
            spellCheck={false}
            placeholder="Search messages"
            aria-keyshortcuts="Control+K Meta+K"
            aria-autocomplete="list"
            aria-expanded={panelVisible}
            aria-controls={panelVisible ? listId : undefined}
            aria-activedescendant={panelVisible && activeIndex !== -1 ? optionId(activeIndex) : undefined}
            value={query}
            onChange={(event) => {
              setQuery(event.target.value);
              setSubmitted(null);
              setActiveIndex(-1);
              setOpen(true);
            }}
            onFocus={() => setOpen(true)}
            onKeyDown={handleKeyDown}
            className="h-9 w-full rounded-lg border border-slate-200 bg-slate-50 pr-14 pl-8 text-sm text-slate-900 placeholder:text-slate-500 focus:border-indigo-500 focus:bg-white focus:outline-2 focus:outline-indigo-500/30 [&::-webkit-search-cancel-button]:hidden"
          />
          <kbd
            aria-hidden="true"
            className="pointer-events-none absolute top-1/2 right-2 hidden -translate-y-1/2 rounded border border-slate-200 bg-white px-1.5 font-sans text-[0.6875rem] text-slate-500 sm:inline"
          >
            {isApple ? '⌘K' : 'Ctrl K'}
          </kbd>
        </div>
        {expanded && <IconButton label="Close search" icon={<XMarkIcon />} onClick={close} className="sm:hidden" />}
      </form>
      {panelVisible && (
        <SearchResults
          listId={listId}
          optionId={optionId}
          search={search}
          activeIndex={activeIndex}
          onActivate={setActiveIndex}
          onOpen={openResult}
          nameOf={(result) => resultConversationName(result, conversationsById.get(result.conversation.id), user?.id)}
          currentUserId={user?.id}
        />
      )}
    </div>
  );
}
