import { type Mentions, MESSAGE_ATTACHMENTS_MAX, MESSAGE_CONTENT_MAX, type UploadedFile } from '@chat/shared';
import {
  type ClipboardEvent,
  type FormEvent,
  type KeyboardEvent,
  type Ref,
  useEffect,
  useId,
  useImperativeHandle,
  useLayoutEffect,
  useRef,
  useState,
} from 'react';
import { cn } from '../../../lib/cn';
import { AttachButton, pastedFiles, type Uploads, UploadTray } from '../../files';
import { useMentionAutocomplete } from '../hooks/use-mention-autocomplete';
import type { MentionCandidate } from '../lib/mentions';
import { MentionListbox } from './mention-listbox';

/** The counter appears once this close to the limit. */
const COUNTER_FROM = MESSAGE_CONTENT_MAX - 200;
const MAX_HEIGHT_PX = 160;

export interface MessageInputProps {
  onSend: (content: string, attachments: readonly UploadedFile[], mentions: Mentions) => void;
  /** Who `@` can name: the current members other than the writer. */
  mentionCandidates?: readonly MentionCandidate[];
  /** Whether `@everyone` is offered (and sent as everyone). */
  everyoneAllowed?: boolean;
  /** A thread's composer: its `@everyone` reaches the thread's followers. */
  inThread?: boolean;
  /** The files picked for the next message; without it the composer sends text only. */
  uploads?: Uploads;
  /** Called on every change, for the typing notification. */
  onTyping?: (text: string) => void;
  onStopTyping?: () => void;
  disabled?: boolean;
  disabledReason?: string;
  placeholder?: string;
  /** The field's accessible name (the thread panel's is "Reply"). */
  label?: string;
  /** Take focus once the composer is usable (a conversation just opened). */
  autoFocus?: boolean;
  /** Up in an empty composer: edit the last own message. Returns false when there is none. */
  onEditLast?: () => boolean;
  ref?: Ref<{ focus: () => void }>;
}

/** Where focus may be taken from without losing what the user is doing. */
function focusIsFree(): boolean {
  const active = document.activeElement;
  if (!active || active === document.body) return true;
  if (active.closest('[role="dialog"], [role="alertdialog"]')) return false;
  // The conversation list, its links and the main pane hand over; another field keeps its text.
  return !(active instanceof HTMLInputElement || active instanceof HTMLTextAreaElement) || active.closest('nav') !== null;
}

/**
 * Enter sends, Shift+Enter starts a new line; the text is trimmed and limited to MESSAGE_CONTENT_MAX.
 * `@` opens the list of members to mention; while it is open, Enter picks instead of sending.
 */
export function MessageInput({
  onSend,
  onTyping,
  onStopTyping,
  disabled = false,
  disabledReason,
  placeholder = 'Write a message…',
  label = 'Message',
  autoFocus = false,
  onEditLast,
  uploads,
  mentionCandidates = [],
  everyoneAllowed = false,
  inThread = false,
  ref: handle,
}: MessageInputProps) {
  const [value, setValue] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const ref = useRef<HTMLTextAreaElement>(null);
  const focused = useRef(false);
  useImperativeHandle(handle, () => ({ focus: () => ref.current?.focus() }), []);
  const mention = useMentionAutocomplete({
    value,
    setValue: (text) => {
      setValue(text);
      onTyping?.(text);
    },
    field: ref,
    candidates: mentionCandidates,
    everyoneAllowed,
  });

  // Once, when the conversation's messages are in and the field is enabled.
  useEffect(() => {
    if (!autoFocus || disabled || focused.current) return;
    focused.current = true;
    // On a phone, focusing would pop the on-screen keyboard over the conversation just opened.
    if (window.matchMedia?.('(pointer: coarse)').matches) return;
    if (focusIsFree()) ref.current?.focus();
  }, [autoFocus, disabled]);
  const counterId = useId();
  const trimmed = value.trim();
  const tooLong = trimmed.length > MESSAGE_CONTENT_MAX;
  const ready = uploads?.summary.ready ?? [];
  // Sending waits for the uploads: the message goes into the outbox only with every file's id.
  const uploading = uploads?.summary.uploading ?? false;
  const canSend = !disabled && !uploading && (trimmed.length > 0 || ready.length > 0) && !tooLong;

  // Grow with the text up to a few lines, then scroll.
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    element.style.height = 'auto';
    element.style.height = `${Math.min(element.scrollHeight, MAX_HEIGHT_PX)}px`;
  }, [value]);

  const send = () => {
    if (!canSend) return;
    onSend(trimmed, ready, mention.mentionsFor(trimmed));
    if (uploads) uploads.sent(uploads.summary.readyKeys);
    setNotice(null);
    onStopTyping?.();
    setValue('');
    mention.reset();
  };

  const attach = (files: File[]) => {
    if (!uploads) return;
    const left = uploads.add(files);
    setNotice(left > 0 ? `At most ${MESSAGE_ATTACHMENTS_MAX} files per message: ${left} not added.` : null);
  };

  const handlePaste = (event: ClipboardEvent<HTMLTextAreaElement>) => {
    const files = pastedFiles(event.clipboardData);
    if (!uploads || files.length === 0) return;
    // A pasted image is attached, not its file name typed.
    event.preventDefault();
    attach(files);
  };

  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    send();
    ref.current?.focus();
  };

  const handleKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (mention.onKeyDown(event)) return;
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    } else if (event.key === 'ArrowUp' && value === '' && !event.shiftKey && !event.altKey && !event.ctrlKey && !event.metaKey && onEditLast?.()) {
      event.preventDefault();
    }
  };

  const remaining = MESSAGE_CONTENT_MAX - trimmed.length;

  return (
    <form onSubmit={handleSubmit} className="shrink-0 border-t border-slate-200 bg-white px-3 py-3 sm:px-4">
      {uploads && <UploadTray uploads={uploads.uploads} onRetry={uploads.retry} onRemove={uploads.remove} notice={notice} />}
      <div className="relative flex items-end gap-2">
        {mention.listbox && <MentionListbox {...mention.listbox} inThread={inThread} />}
        {uploads && <AttachButton onFiles={attach} disabled={disabled} />}
        <label className="sr-only" htmlFor={`${counterId}-input`}>
          {label}
        </label>
        <textarea
          id={`${counterId}-input`}
          ref={ref}
          rows={1}
          value={value}
          disabled={disabled}
          placeholder={disabled ? (disabledReason ?? placeholder) : placeholder}
          aria-describedby={trimmed.length >= COUNTER_FROM ? counterId : undefined}
          aria-invalid={tooLong || undefined}
          {...mention.fieldProps}
          onChange={(event) => {
            setValue(event.target.value);
            mention.onCaretMove(event.target);
            onTyping?.(event.target.value);
          }}
          onSelect={(event) => mention.onCaretMove(event.currentTarget)}
          onBlur={() => onStopTyping?.()}
          onKeyDown={handleKeyDown}
          onPaste={handlePaste}
          className="block min-h-10 flex-1 resize-none rounded-xl border-0 bg-slate-100 px-3.5 py-2.5 text-sm text-slate-900 placeholder:text-slate-400 focus:bg-white focus:outline-2 focus:outline-indigo-500 disabled:cursor-not-allowed disabled:opacity-60"
        />
        <button
          type="submit"
          disabled={!canSend}
          className="inline-flex h-10 shrink-0 items-center gap-1.5 rounded-xl bg-indigo-600 px-3.5 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:cursor-not-allowed disabled:opacity-50"
        >
          <svg viewBox="0 0 20 20" fill="currentColor" className="size-4" aria-hidden="true">
            <path d="M3.105 2.288a.75.75 0 0 0-.826.95l1.414 4.926A1.5 1.5 0 0 0 5.135 9.25h6.115a.75.75 0 0 1 0 1.5H5.135a1.5 1.5 0 0 0-1.442 1.086l-1.414 4.926a.75.75 0 0 0 .826.95 28.897 28.897 0 0 0 15.293-7.155.75.75 0 0 0 0-1.114A28.897 28.897 0 0 0 3.105 2.288Z" />
          </svg>
          {uploading ? 'Uploading…' : 'Send'}
        </button>
      </div>
      {trimmed.length >= COUNTER_FROM && (
        <p id={counterId} aria-live="polite" className={cn('mt-1 text-right text-xs tabular-nums', tooLong ? 'font-medium text-red-600' : 'text-slate-500')}>
          {tooLong ? `${-remaining} characters over the limit` : `${remaining} characters left`} ({trimmed.length}/{MESSAGE_CONTENT_MAX})
        </p>
      )}
    </form>
  );
}
