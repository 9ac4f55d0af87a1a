import { type ConversationDetail, createConversationRequestSchema, type PublicUser } from '@chat/shared';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { Alert } from '../../../components/ui/alert';
import { Avatar } from '../../../components/ui/avatar';
import { Button } from '../../../components/ui/button';
import { Dialog } from '../../../components/ui/dialog';
import { XMarkIcon } from '../../../components/ui/icons';
import { SegmentedControl } from '../../../components/ui/segmented-control';
import { TextField } from '../../../components/ui/text-field';
import { useZodForm } from '../../../hooks/use-zod-form';
import { ApiError } from '../../../lib/api-client';
import { useCreateConversation } from '../api/use-conversation-mutations';
import { conversationErrorMessage, groupNameMessage } from '../lib/conversation-errors';
import { PeopleSearch } from './people-search';

type Kind = 'direct' | 'group';

const KINDS = [
  { value: 'direct', label: 'Direct message' },
  { value: 'group', label: 'Group' },
] as const;

export function CreateConversationModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [busy, setBusy] = useState(false);
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="New conversation"
      description="Message one person, or bring several people together in a group."
      dismissible={!busy}
    >
      {/* Mounted only while open, so every opening starts from a clean form. */}
      <CreateConversationForm onClose={onClose} onBusyChange={setBusy} />
    </Dialog>
  );
}

function CreateConversationForm({ onClose, onBusyChange }: { onClose: () => void; onBusyChange: (busy: boolean) => void }) {
  const navigate = useNavigate();
  const create = useCreateConversation();
  const [kind, setKind] = useState<Kind>('direct');
  const [query, setQuery] = useState('');
  const [selected, setSelected] = useState<PublicUser[]>([]);
  const [pendingId, setPendingId] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);

  const {
    register,
    handleSubmit,
    setValue,
    setError,
    clearErrors,
    formState: { errors, isSubmitted },
  } = useZodForm(createConversationRequestSchema, { type: 'group', title: '', participantIds: [], isPublic: false });

  const selectedIds = new Set(selected.map((user) => user.id));
  const busy = create.isPending;

  const opened = (conversation: ConversationDetail) => {
    onBusyChange(false);
    onClose();
    void navigate(`/c/${conversation.id}`);
  };

  const failed = (error: unknown) => {
    onBusyChange(false);
    setPendingId(null);
    if (error instanceof ApiError && error.status === 400) {
      const titleDetail = error.details.find((detail) => detail.path === 'title');
      if (titleDetail) {
        setError('title', { type: 'server', message: titleDetail.message }, { shouldFocus: true });
        return;
      }
    }
    setFormError(conversationErrorMessage(error));
  };

  const startDirect = (user: PublicUser) => {
    if (busy) return;
    setFormError(null);
    setPendingId(user.id);
    onBusyChange(true);
    create.mutate({ type: 'direct', participantIds: [user.id] }, { onSuccess: opened, onError: failed });
  };

  const updateSelection = (next: PublicUser[]) => {
    setSelected(next);
    setValue(
      'participantIds',
      next.map((user) => user.id),
      { shouldValidate: isSubmitted },
    );
  };

  const toggle = (user: PublicUser) => {
    updateSelection(selectedIds.has(user.id) ? selected.filter((item) => item.id !== user.id) : [...selected, user]);
  };

  const addFirst = (user: PublicUser) => {
    if (!selectedIds.has(user.id)) updateSelection([...selected, user]);
    setQuery('');
  };

  const submitGroup = handleSubmit((values) => {
    setFormError(null);
    onBusyChange(true);
    create.mutate({ ...values, type: 'group' }, { onSuccess: opened, onError: failed });
  });

  const switchKind = (next: Kind) => {
    setKind(next);
    setFormError(null);
    clearErrors();
  };

  return (
    <form onSubmit={submitGroup} noValidate className="flex min-h-0 flex-1 flex-col">
      <div className="min-h-0 flex-1 space-y-5 overflow-y-auto px-5 pb-5 pt-3">
        <SegmentedControl label="Conversation type" options={KINDS} value={kind} onChange={switchKind} disabled={busy} />

        {formError && <Alert>{formError}</Alert>}

        {kind === 'group' && (
          <div>
            {selected.length > 0 ? (
              <ul aria-label="Selected people" className="flex flex-wrap gap-1.5">
                {selected.map((user) => (
                  <li
                    key={user.id}
                    className="inline-flex items-center gap-1.5 rounded-full bg-indigo-50 py-1 pl-1 pr-1 text-sm font-medium text-indigo-900 ring-1 ring-inset ring-indigo-100"
                  >
                    <Avatar name={user.displayName} seed={user.id} size="xs" />
                    <span className="max-w-40 truncate">{user.displayName}</span>
                    <button
                      type="button"
                      onClick={() => toggle(user)}
                      disabled={busy}
                      aria-label={`Remove ${user.displayName}`}
                      className="inline-flex size-5 items-center justify-center rounded-full text-indigo-400 hover:bg-indigo-100 hover:text-indigo-700 focus-visible:outline-2 focus-visible:outline-indigo-600"
                    >
                      <XMarkIcon className="size-3.5" />
                    </button>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="text-sm text-slate-500">Add the people you want in the group.</p>
            )}
            {errors.participantIds && (
              <p role="alert" className="mt-1.5 text-sm text-red-600">
                Add at least one person to the group.
              </p>
            )}
          </div>
        )}

        <PeopleSearch
          {...(kind === 'direct'
            ? { mode: 'single', onPick: startDirect, onEnter: startDirect, pendingId }
            : { mode: 'multiple', selectedIds, onToggle: toggle, onEnter: addFirst })}
          query={query}
          onQueryChange={setQuery}
          disabled={busy}
          autoFocus
        />

        {kind === 'group' && (
          <div className="space-y-4 border-t border-slate-100 pt-5">
            <TextField label="Group name" autoComplete="off" disabled={busy} error={groupNameMessage(errors.title?.message)} {...register('title')} />
            <label className="flex cursor-pointer items-start gap-3">
              <input type="checkbox" disabled={busy} className="mt-0.5 size-4 shrink-0 rounded accent-indigo-600" {...register('isPublic')} />
              <span className="text-sm">
                <span className="font-medium text-slate-700">Anyone with the link can join</span>
                <span className="block text-slate-500">Otherwise only people you add can take part.</span>
              </span>
            </label>
          </div>
        )}
      </div>

      {kind === 'group' && (
        <div className="flex shrink-0 flex-col-reverse gap-2 border-t border-slate-100 bg-slate-50/60 px-5 py-4 sm:flex-row sm:justify-end sm:rounded-b-2xl">
          <Button variant="secondary" onClick={onClose} disabled={busy}>
            Cancel
          </Button>
          <Button type="submit" isLoading={busy}>
            Create group
          </Button>
        </div>
      )}
    </form>
  );
}
