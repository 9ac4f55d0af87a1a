import type { Mentions } from '@chat/shared';
import { type KeyboardEvent, type RefObject, useId, useLayoutEffect, useRef, useState } from 'react';
import { activeMentionQuery, filterCandidates, insertMention, matchesWordStart, type MentionCandidate, mentionsInText } from '../lib/mentions';

/** More than this many matches: typing more narrows them down. */
const OPTIONS_MAX = 8;

export interface MentionOption {
  /** A member's id, or null for everyone. */
  id: string | null;
  /** What is inserted after `@`. */
  name: string;
}

interface MentionAutocompleteOptions {
  value: string;
  /** Writes the text with a name inserted. */
  setValue: (value: string) => void;
  field: RefObject<HTMLTextAreaElement | null>;
  /** Current members other than the writer. */
  candidates: readonly MentionCandidate[];
  everyoneAllowed: boolean;
}

/**
 * The `@` autocomplete of a text field (the ARIA combobox pattern): which members the typed `@query`
 * finds, the keyboard and the insertion, and who the text mentions when it is sent. A member counts
 * as mentioned only if they were picked from the list and their "@Name" is still in the text.
 */
export function useMentionAutocomplete({ value, setValue, field, candidates, everyoneAllowed }: MentionAutocompleteOptions) {
  const listId = useId();
  const [caret, setCaret] = useState(0);
  const [active, setActive] = useState({ query: '', index: 0 });
  // The `@` whose list Esc closed: it stays closed until another `@` is typed.
  const [dismissedAt, setDismissedAt] = useState<number | null>(null);
  const picked = useRef(new Map<string, string>());
  const caretAfterInsert = useRef<number | null>(null);

  const typed = activeMentionQuery(value, caret);
  if (!typed && dismissedAt !== null) setDismissedAt(null);
  const options: MentionOption[] = [];
  if (typed && typed.start !== dismissedAt) {
    for (const candidate of filterCandidates(candidates, typed.query).slice(0, OPTIONS_MAX)) options.push({ id: candidate.id, name: candidate.displayName });
    if (everyoneAllowed && (matchesWordStart('everyone', typed.query) || matchesWordStart('here', typed.query))) options.push({ id: null, name: 'everyone' });
  }
  const open = typed !== null && options.length > 0;
  const queryKey = typed ? `${typed.start}:${typed.query}` : '';
  const activeIndex = active.query === queryKey ? Math.min(active.index, options.length - 1) : 0;
  const optionId = (index: number) => `${listId}-option-${index}`;

  useLayoutEffect(() => {
    const position = caretAfterInsert.current;
    if (position === null) return;
    caretAfterInsert.current = null;
    field.current?.setSelectionRange(position, position);
    setCaret(position);
  }, [value, field]);

  const choose = (index: number) => {
    const option = options[index];
    if (!typed || !option) return;
    const inserted = insertMention(value, typed.start, caret, option.name);
    if (option.id !== null) picked.current.set(option.id, option.name);
    caretAfterInsert.current = inserted.caret;
    setValue(inserted.text);
    field.current?.focus();
  };

  const move = (step: number) => {
    const index = (activeIndex + step + options.length) % options.length;
    setActive({ query: queryKey, index });
    document.getElementById(optionId(index))?.scrollIntoView({ block: 'nearest' });
  };

  /** Handles the list's keys while it is open; true when the key was taken (it must not also send). */
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): boolean => {
    if (!open || event.nativeEvent.isComposing) return false;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      move(event.key === 'ArrowDown' ? 1 : -1);
    } else if ((event.key === 'Enter' || event.key === 'Tab') && !event.shiftKey) {
      choose(activeIndex);
    } else if (event.key === 'Escape') {
      // Only the list closes: not the conversation, not a dialog around it.
      event.stopPropagation();
      setDismissedAt(typed.start);
    } else {
      return false;
    }
    event.preventDefault();
    return true;
  };

  /** Who `text` mentions: the picked members still named in it (and still members), and everyone for @everyone / @here. */
  const mentionsFor = (text: string): Mentions => {
    const stillMembers = candidates.filter((candidate) => picked.current.get(candidate.id) === candidate.displayName);
    return mentionsInText(text, stillMembers, everyoneAllowed);
  };

  /** After sending: nothing is picked any more. */
  const reset = () => {
    picked.current.clear();
    setDismissedAt(null);
  };

  const setActiveIndex = (index: number) => setActive({ query: queryKey, index });

  return {
    open,
    /** The MentionListbox's props while the list is open, else null. */
    listbox: open ? { id: listId, options, activeIndex, optionId, onChoose: choose, onHover: setActiveIndex } : null,
    /** Keeps track of the caret (typing, clicks, arrow keys). */
    onCaretMove: (element: HTMLTextAreaElement) => setCaret(element.selectionStart),
    onKeyDown,
    mentionsFor,
    reset,
    /** The combobox attributes of the text field. */
    fieldProps: {
      role: 'combobox',
      'aria-autocomplete': 'list',
      'aria-expanded': open,
      'aria-controls': open ? listId : undefined,
      'aria-activedescendant': open ? optionId(activeIndex) : undefined,
    } as const,
  };
}
