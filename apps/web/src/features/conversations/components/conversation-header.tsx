import type { ConversationDetail } from '@chat/shared';
import type { UseMutationResult } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { ConfirmDialog } from '../../../components/ui/confirm-dialog';
import { IconButton } from '../../../components/ui/icon-button';
import { ChevronLeftIcon, EllipsisVerticalIcon, LeaveIcon, PencilIcon, TrashIcon, UserGroupIcon, UserPlusIcon } from '../../../components/ui/icons';
import { PopoverMenu } from '../../../components/ui/popover-menu';
import { PresenceIndicator, PresenceText, usePresence } from '../../presence';
import { useDeleteConversation, useLeaveConversation } from '../api/use-conversation-mutations';
import { conversationTitle, memberCountLabel } from '../lib/conversation-display';
import { conversationErrorMessage } from '../lib/conversation-errors';
import { ConversationAvatar } from './conversation-avatar';
import { MembersSheet } from './members-sheet';
import { NotificationsMenu } from './notifications-menu';
import { RenameConversationForm } from './rename-conversation-form';

type Confirming = 'leave' | 'delete' | null;

export interface ConversationHeaderProps {
  conversation: ConversationDetail;
  participantsLoaded: boolean;
  currentUserId: string | undefined;
}

export function ConversationHeader({ conversation, participantsLoaded, currentUserId }: ConversationHeaderProps) {
  const navigate = useNavigate();
  const [renaming, setRenaming] = useState(false);
  const [members, setMembers] = useState<'closed' | 'list' | 'add'>('closed');
  const [confirming, setConfirming] = useState<Confirming>(null);
  const leave = useLeaveConversation();
  const remove = useDeleteConversation();

  const title = conversationTitle(conversation);
  const isGroup = conversation.type === 'group';
  const isOwner = isGroup && conversation.role === 'owner';
  const presences = usePresence(
    isGroup ? conversation.participants.map((participant) => (participant.user.id === currentUserId ? null : participant.user.id)) : [conversation.peer?.id],
  );
  const peerPresence = !isGroup && conversation.peer ? presences.get(conversation.peer.id) : undefined;
  const onlineCount = isGroup ? [...presences.values()].filter((presence) => presence.status !== 'offline').length : 0;

  const closeConfirm = () => {
    setConfirming(null);
    leave.reset();
    remove.reset();
  };

  // Leave the page first: the caches drop the conversation, and this view must not refetch it.
  const goHome = () => void navigate('/', { replace: true });

  return (
    <header className="flex min-h-14 shrink-0 items-center gap-2 border-b border-slate-200 bg-white px-2 py-2 sm:gap-3 sm:px-4">
      <Link
        to="/"
        aria-label="Back to conversations"
        className="inline-flex size-9 shrink-0 items-center justify-center rounded-lg text-slate-500 hover:bg-slate-100 hover:text-slate-700 focus-visible:outline-2 focus-visible:outline-indigo-600 md:hidden"
      >
        <ChevronLeftIcon />
      </Link>

      <span className="relative shrink-0">
        <ConversationAvatar conversation={conversation} size="sm" />
        <PresenceIndicator presence={peerPresence} className="absolute -bottom-0.5 -right-0.5" />
      </span>

      {renaming ? (
        <RenameConversationForm conversationId={conversation.id} title={title} onDone={() => setRenaming(false)} />
      ) : (
        <div className="min-w-0 flex-1">
          <div className="flex min-w-0 items-center gap-1">
            <h2 className="truncate text-[0.9375rem] font-semibold leading-6 text-slate-900">{title}</h2>
            {isOwner && (
              <button
                type="button"
                onClick={() => setRenaming(true)}
                title="Rename group"
                className="inline-flex size-6 shrink-0 items-center justify-center rounded-md text-slate-400 hover:bg-slate-100 hover:text-slate-600 focus-visible:outline-2 focus-visible:outline-indigo-600"
              >
                <PencilIcon className="size-3.5" />
                <span className="sr-only">Rename</span>
              </button>
            )}
          </div>
          <p className="flex items-center gap-1.5 text-xs leading-4 text-slate-500">
            {isGroup ? (
              <button
                type="button"
                onClick={() => setMembers('list')}
                aria-haspopup="dialog"
                className="-mx-1 rounded px-1 font-medium hover:text-indigo-600 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600"
              >
                {memberCountLabel(conversation.participantCount)}
              </button>
            ) : (
              <span>Direct message</span>
            )}
            {peerPresence && (
              <>
                <span aria-hidden="true">·</span>
                <PresenceText presence={peerPresence} />
              </>
            )}
            {isGroup && onlineCount > 0 && (
              <>
                <span aria-hidden="true">·</span>
                <span>{onlineCount} online</span>
              </>
            )}
            {isGroup && conversation.isPublic && (
              <>
                <span aria-hidden="true">·</span>
                <span>Public</span>
              </>
            )}
          </p>
        </div>
      )}

      {!renaming && (
        <>
          <NotificationsMenu conversation={conversation} />
          {/* Wide screens have room for the actions themselves; narrow ones fold them into a menu. */}
          <div className="hidden items-center gap-1 md:flex">
            <IconButton label="Leave conversation" icon={<LeaveIcon />} onClick={() => setConfirming('leave')} tone="danger" />
            {isOwner && <IconButton label="Delete conversation" icon={<TrashIcon />} onClick={() => setConfirming('delete')} tone="danger" />}
          </div>
          <PopoverMenu
            label="Conversation options"
            icon={<EllipsisVerticalIcon />}
            className="md:hidden"
            items={[
              { label: 'Members', icon: <UserGroupIcon className="size-4" />, onSelect: () => setMembers('list'), hidden: !isGroup },
              { label: 'Add people', icon: <UserPlusIcon className="size-4" />, onSelect: () => setMembers('add'), hidden: !isOwner },
              { label: 'Rename group', icon: <PencilIcon className="size-4" />, onSelect: () => setRenaming(true), hidden: !isOwner },
              { label: 'Leave conversation', icon: <LeaveIcon className="size-4" />, onSelect: () => setConfirming('leave'), tone: 'danger' },
              {
                label: 'Delete conversation',
                icon: <TrashIcon className="size-4" />,
                onSelect: () => setConfirming('delete'),
                tone: 'danger',
                hidden: !isOwner,
              },
            ]}
          />
        </>
      )}

      {isGroup && (
        <MembersSheet
          open={members !== 'closed'}
          onClose={() => setMembers('closed')}
          conversation={conversation}
          participantsLoaded={participantsLoaded}
          currentUserId={currentUserId}
          startAdding={members === 'add'}
        />
      )}

      <ConfirmConversationAction
        open={confirming === 'leave'}
        title="Leave conversation?"
        confirmLabel="Leave"
        onCancel={closeConfirm}
        action={leave}
        conversationId={conversation.id}
        onDone={goHome}
      >
        <p>{leaveMessage(conversation, title)}</p>
      </ConfirmConversationAction>

      <ConfirmConversationAction
        open={confirming === 'delete'}
        title="Delete conversation?"
        confirmLabel="Delete"
        onCancel={closeConfirm}
        action={remove}
        conversationId={conversation.id}
        onDone={goHome}
      >
        <p>
          <span className="font-medium text-slate-900">“{title}”</span> will be deleted for all {memberCountLabel(conversation.participantCount)}. This can't be
          undone.
        </p>
      </ConfirmConversationAction>
    </header>
  );
}

function leaveMessage(conversation: ConversationDetail, title: string): string {
  if (conversation.type === 'direct') return `Your conversation with ${title} will be removed from your list.`;
  const rejoin = conversation.isPublic ? 'You can join again with the link.' : 'You can only come back if someone adds you again.';
  if (conversation.role !== 'owner') return `You'll stop receiving messages from “${title}”. ${rejoin}`;
  if (conversation.participantCount <= 1) return `You're the last member, so “${title}” will be deleted.`;
  return `You'll stop receiving messages from “${title}”, and ownership passes to the member who has been in the group longest.`;
}

interface ConfirmConversationActionProps {
  open: boolean;
  title: string;
  confirmLabel: string;
  onCancel: () => void;
  action: UseMutationResult<void, Error, string>;
  conversationId: string;
  onDone: () => void;
  children: ReactNode;
}

/** Asks before leaving or deleting, and shows the attempt's progress and failure in the dialog. */
function ConfirmConversationAction({ action, conversationId, onDone, children, ...dialog }: ConfirmConversationActionProps) {
  return (
    <ConfirmDialog
      {...dialog}
      onConfirm={() => action.mutate(conversationId, { onSuccess: onDone })}
      pending={action.isPending}
      error={action.isError ? conversationErrorMessage(action.error) : null}
    >
      {children}
    </ConfirmDialog>
  );
}
