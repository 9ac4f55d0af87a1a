import { MESSAGE_CONTENT_MAX } from '@chat/shared';
import { type KeyboardEvent, useEffect, useRef, useState } from 'react';
import { useMentionAutocomplete } from '../hooks/use-mention-autocomplete';
import type { MentionCandidate } from '../lib/mentions';
import { MentionListbox } from './mention-listbox';

export interface InlineMessageEditorProps {
  initial: string;
  /** A message with files may lose its text; one without may not. */
  allowEmpty: boolean;
  /** Who `@` can name: the current members other than the writer. */
  mentionCandidates: readonly MentionCandidate[];
  everyoneAllowed: boolean;
  /** Editing a reply: its `@everyone` reaches the thread's followers. */
  inThread: boolean;
  onSave: (content: string) => Promise<void>;
  onCancel: () => void;
}

/**
 * Edits a sent message in place: Enter saves, Esc cancels, `@` offers the members as the composer does.
 * Who the edit mentions is worked out from the saved text by the caller, so a name picked here counts
 * as long as it is still in the text.
 */
export function InlineMessageEditor({ initial, allowEmpty, mentionCandidates, everyoneAllowed, inThread, onSave, onCancel }: InlineMessageEditorProps) {
  const [value, setValue] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const ref = useRef<HTMLTextAreaElement>(null);
  const mention = useMentionAutocomplete({ value, setValue, field: ref, candidates: mentionCandidates, everyoneAllowed });

  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    element.focus();
    element.setSelectionRange(element.value.length, element.value.length);
  }, []);

  const save = async () => {
    const content = value.trim();
    if (!content && !allowEmpty) return setError('Message cannot be empty');
    setSaving(true);
    try {
      await onSave(content);
    } catch {
      setError("Couldn't save the change.");
      setSaving(false);
    }
  };

  const handleKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    // While the list is open its keys pick or close it; Esc then keeps the edit going.
    if (mention.onKeyDown(event)) return;
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      onCancel();
    } else if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void save();
    }
  };

  return (
    <div className="relative min-w-56">
      {mention.listbox && <MentionListbox {...mention.listbox} inThread={inThread} />}
      <textarea
        ref={ref}
        aria-label="Edit message"
        value={value}
        maxLength={MESSAGE_CONTENT_MAX}
        disabled={saving}
        rows={Math.min(6, value.split('\n').length)}
        {...mention.fieldProps}
        onChange={(event) => {
          setValue(event.target.value);
          mention.onCaretMove(event.target);
        }}
        onSelect={(event) => mention.onCaretMove(event.currentTarget)}
        onKeyDown={handleKeyDown}
        className="w-full resize-none rounded-lg bg-white px-2 py-1 text-sm text-slate-900 ring-1 ring-slate-300 focus:outline-2 focus:outline-indigo-300"
      />
      <p className="mt-1 text-[0.6875rem] opacity-90">{error ?? 'Enter to save · Esc to cancel'}</p>
    </div>
  );
}
