import type { ConversationDetail, PublicUser } from '@chat/shared';
import { useState } from 'react';
import { Alert } from '../../../components/ui/alert';
import { Avatar } from '../../../components/ui/avatar';
import { Button } from '../../../components/ui/button';
import { ConfirmDialog } from '../../../components/ui/confirm-dialog';
import { Dialog } from '../../../components/ui/dialog';
import { CheckIcon, LinkIcon, UserPlusIcon } from '../../../components/ui/icons';
import { Spinner } from '../../../components/ui/spinner';
import { formatFullDateTime } from '../../../lib/relative-time';
import { PresenceIndicator, usePresence } from '../../presence';
import { useAddParticipants, useRemoveParticipant, useUpdateConversation } from '../api/use-conversation-mutations';
import { useCopyLink } from '../hooks/use-copy-link';
import { conversationTitle, memberCountLabel, sortParticipants } from '../lib/conversation-display';
import { conversationErrorMessage } from '../lib/conversation-errors';
import { PeopleSearch } from './people-search';

export interface MembersSheetProps {
  open: boolean;
  onClose: () => void;
  conversation: ConversationDetail;
  /** False while only the sidebar's copy (without participants) is known. */
  participantsLoaded: boolean;
  currentUserId: string | undefined;
  /** Open straight into "Add people". */
  startAdding?: boolean;
}

/** The members of a group, and for its owner: adding, removing and the public-link setting. */
export function MembersSheet(props: MembersSheetProps) {
  return (
    <Dialog
      open={props.open}
      onClose={props.onClose}
      placement="right"
      title="Members"
      description={`${conversationTitle(props.conversation)} · ${memberCountLabel(props.conversation.participantCount)}`}
    >
      <MembersSheetBody {...props} />
    </Dialog>
  );
}

function MembersSheetBody({ conversation, participantsLoaded, currentUserId, startAdding = false }: MembersSheetProps) {
  const isOwner = conversation.role === 'owner';
  const [adding, setAdding] = useState(isOwner && startAdding);
  const [error, setError] = useState<string | null>(null);
  const [confirmingRemoval, setConfirmingRemoval] = useState<PublicUser | null>(null);
  const remove = useRemoveParticipant(conversation.id);
  const update = useUpdateConversation(conversation.id);
  const { copied, copy } = useCopyLink();
  const members = sortParticipants(conversation.participants);
  const inviteLink = `${window.location.origin}/c/${conversation.id}`;
  // Statuses are cached per user, so this list and the header's "N online" agree.
  const presences = usePresence(members.map(({ user }) => (user.id === currentUserId ? null : user.id)));

  const closeRemoval = () => {
    setConfirmingRemoval(null);
    remove.reset();
  };

  const removeMember = (user: PublicUser) => {
    setError(null);
    remove.mutate(user.id, { onSuccess: () => setConfirmingRemoval(null) });
  };

  const togglePublic = (isPublic: boolean) => {
    setError(null);
    update.mutate({ isPublic }, { onError: (failure) => setError(conversationErrorMessage(failure)) });
  };

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <div className="min-h-0 flex-1 space-y-5 overflow-y-auto px-5 pb-6 pt-3">
        {error && <Alert>{error}</Alert>}

        {isOwner &&
          (adding ? (
            <AddPeople conversation={conversation} onDone={() => setAdding(false)} />
          ) : (
            <Button variant="secondary" className="w-full" onClick={() => setAdding(true)}>
              <UserPlusIcon className="size-4 text-slate-500" />
              Add people
            </Button>
          ))}

        <section aria-label="Participants">
          {!participantsLoaded ? (
            <div role="status" className="flex items-center gap-2 py-4 text-sm text-slate-500">
              <Spinner /> Loading members…
            </div>
          ) : (
            <ul className="-mx-2 divide-y divide-slate-100">
              {members.map(({ user, role, joinedAt }) => {
                const isMe = user.id === currentUserId;
                const removing = remove.isPending && remove.variables === user.id;
                return (
                  <li key={user.id} className="flex items-center gap-3 px-2 py-2.5">
                    <span className="relative shrink-0">
                      <Avatar name={user.displayName} seed={user.id} />
                      <PresenceIndicator presence={presences.get(user.id)} className="absolute -bottom-0.5 -right-0.5" />
                    </span>
                    <div className="min-w-0 flex-1">
                      <p className="flex items-center gap-2 text-sm font-medium text-slate-900">
                        <span className="truncate">
                          {user.displayName}
                          {isMe && <span className="font-normal text-slate-500"> (you)</span>}
                        </span>
                        {role === 'owner' && (
                          <span className="shrink-0 rounded-full bg-amber-50 px-2 py-0.5 text-[0.6875rem] font-semibold text-amber-700 ring-1 ring-inset ring-amber-200">
                            Owner
                          </span>
                        )}
                      </p>
                      <p className="text-xs text-slate-500" title={formatFullDateTime(joinedAt)}>
                        Joined {new Date(joinedAt).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' })}
                      </p>
                    </div>
                    {isOwner && !isMe && (
                      <Button
                        variant="ghost"
                        onClick={() => setConfirmingRemoval(user)}
                        isLoading={removing}
                        disabled={remove.isPending}
                        aria-label={`Remove ${user.displayName}`}
                        className="px-2.5 py-1.5 text-xs text-slate-500 hover:text-red-600"
                      >
                        Remove
                      </Button>
                    )}
                  </li>
                );
              })}
            </ul>
          )}
        </section>

        {(isOwner || conversation.isPublic) && (
          <section aria-label="Invite link" className="space-y-3 rounded-xl bg-slate-50 p-4 ring-1 ring-inset ring-slate-200">
            {isOwner ? (
              <label className="flex cursor-pointer items-start gap-3">
                <input
                  type="checkbox"
                  checked={conversation.isPublic}
                  disabled={update.isPending}
                  onChange={(event) => togglePublic(event.target.checked)}
                  className="mt-0.5 size-4 shrink-0 rounded accent-indigo-600"
                />
                <span className="text-sm">
                  <span className="font-medium text-slate-700">Anyone with the link can join</span>
                  <span className="block text-slate-500">Otherwise only people you add can take part.</span>
                </span>
              </label>
            ) : (
              <p className="text-sm text-slate-600">Anyone with the link can join this group.</p>
            )}
            {conversation.isPublic && (
              <div className="flex gap-2">
                <label className="min-w-0 flex-1">
                  <span className="sr-only">Invite link</span>
                  <input
                    readOnly
                    value={inviteLink}
                    onFocus={(event) => event.currentTarget.select()}
                    className="block w-full rounded-lg border border-slate-300 bg-white px-2.5 py-1.5 text-xs text-slate-600 focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500/20"
                  />
                </label>
                <Button variant="secondary" className="shrink-0 px-2.5 py-1.5 text-xs" onClick={() => void copy(inviteLink)}>
                  {copied ? <CheckIcon className="size-4 text-emerald-600" /> : <LinkIcon className="size-4 text-slate-500" />}
                  {copied ? 'Copied' : 'Copy link'}
                </Button>
              </div>
            )}
          </section>
        )}
      </div>
      <ConfirmDialog
        open={confirmingRemoval !== null}
        title={`Remove ${confirmingRemoval?.displayName ?? ''}?`}
        confirmLabel="Remove"
        onCancel={closeRemoval}
        onConfirm={() => {
          if (confirmingRemoval) removeMember(confirmingRemoval);
        }}
        pending={remove.isPending}
        error={remove.isError ? conversationErrorMessage(remove.error) : null}
      >
        <p>They will no longer see new messages in {conversationTitle(conversation)}. Everyone in the group sees that you removed them.</p>
      </ConfirmDialog>
    </div>
  );
}

function AddPeople({ conversation, onDone }: { conversation: ConversationDetail; onDone: () => void }) {
  const [query, setQuery] = useState('');
  const [selected, setSelected] = useState<PublicUser[]>([]);
  const add = useAddParticipants(conversation.id);
  const memberIds = new Set(conversation.participants.map((participant) => participant.user.id));
  const selectedIds = new Set(selected.map((user) => user.id));

  const toggle = (user: PublicUser) =>
    setSelected((current) => (current.some((item) => item.id === user.id) ? current.filter((item) => item.id !== user.id) : [...current, user]));

  const submit = () => {
    if (selected.length === 0) return;
    add.mutate({ userIds: selected.map((user) => user.id) }, { onSuccess: onDone });
  };

  return (
    <div className="space-y-3 rounded-xl p-4 ring-1 ring-inset ring-slate-200">
      <PeopleSearch
        mode="multiple"
        query={query}
        onQueryChange={setQuery}
        selectedIds={selectedIds}
        onToggle={toggle}
        onEnter={(user) => {
          if (!selectedIds.has(user.id)) toggle(user);
          setQuery('');
        }}
        excludeIds={memberIds}
        excludedLabel="Already a member"
        disabled={add.isPending}
        autoFocus
      />
      {add.isError && <Alert>{conversationErrorMessage(add.error)}</Alert>}
      <div className="flex justify-end gap-2">
        <Button variant="ghost" onClick={onDone} disabled={add.isPending}>
          Cancel
        </Button>
        <Button onClick={submit} disabled={selected.length === 0} isLoading={add.isPending}>
          {selected.length > 1 ? `Add ${selected.length} people` : 'Add to group'}
        </Button>
      </div>
    </div>
  );
}
