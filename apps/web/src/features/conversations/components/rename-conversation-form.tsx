import { updateConversationRequestSchema } from '@chat/shared';
import { type FormEvent, type KeyboardEvent, useId, useState } from 'react';
import { Button } from '../../../components/ui/button';
import { cn } from '../../../lib/cn';
import { useUpdateConversation } from '../api/use-conversation-mutations';
import { conversationErrorMessage, groupNameMessage } from '../lib/conversation-errors';

/** Inline title editor for the header. Enter saves, Esc cancels. */
export function RenameConversationForm({ conversationId, title, onDone }: { conversationId: string; title: string; onDone: () => void }) {
  const [value, setValue] = useState(title);
  const [error, setError] = useState<string | null>(null);
  const update = useUpdateConversation(conversationId);
  const errorId = useId();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = updateConversationRequestSchema.safeParse({ title: value });
    if (!parsed.success) {
      setError(groupNameMessage(parsed.error.issues[0]?.message) ?? 'Enter a group name');
      return;
    }
    if (parsed.data.title === title) {
      onDone();
      return;
    }
    setError(null);
    update.mutate(parsed.data, {
      onSuccess: onDone,
      onError: (failure) => setError(groupNameMessage(conversationErrorMessage(failure)) ?? null),
    });
  };

  const handleKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Escape' && !update.isPending) {
      event.stopPropagation();
      onDone();
    }
  };

  return (
    <form onSubmit={submit} noValidate className="flex min-w-0 flex-1 flex-col">
      <div className="flex items-center gap-2">
        <label className="min-w-0 flex-1">
          <span className="sr-only">Group name</span>
          <input
            value={value}
            onChange={(event) => {
              setValue(event.target.value);
              if (error) setError(null);
            }}
            onKeyDown={handleKeyDown}
            // Moving focus here is the point of pressing "Rename".
            autoFocus
            onFocus={(event) => event.currentTarget.select()}
            disabled={update.isPending}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? errorId : undefined}
            className={cn(
              'block w-full rounded-md border bg-white px-2 py-1 text-sm font-semibold text-slate-900 shadow-xs focus:outline-none focus:ring-2',
              error ? 'border-red-400 focus:ring-red-500/20' : 'border-slate-300 focus:border-indigo-500 focus:ring-indigo-500/20',
            )}
          />
        </label>
        <Button type="submit" isLoading={update.isPending} className="px-2.5 py-1">
          Save
        </Button>
        <Button variant="ghost" onClick={onDone} disabled={update.isPending} className="px-2.5 py-1">
          Cancel
        </Button>
      </div>
      {error && (
        <p id={errorId} role="alert" className="mt-1 text-xs text-red-600">
          {error}
        </p>
      )}
    </form>
  );
}
