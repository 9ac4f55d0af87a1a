import type { Conversation, Presence } from '@chat/shared';
import { memo } from 'react';
import { NavLink } from 'react-router';
import { BellSlashIcon, PaperClipIcon } from '../../../components/ui/icons';
import { cn } from '../../../lib/cn';
import { formatFullDateTime, formatRelativeTime } from '../../../lib/relative-time';
import { PresenceIndicator, presenceLabel } from '../../presence';
import { conversationTitle, previewParts, unreadBadgeLabel } from '../lib/conversation-display';
import { isMuted, isQuiet } from '../lib/notification-settings';
import { ConversationAvatar } from './conversation-avatar';

export interface ConversationItemProps {
  conversation: Conversation;
  currentUserId: string | undefined;
  /** Passed in (rather than read here) so one timer re-renders every item's relative time, and ends its mute. */
  now: number;
  /** The peer's status, for direct chats. */
  presence?: Presence;
}

export const ConversationItem = memo(function ConversationItem({ conversation, currentUserId, now, presence }: ConversationItemProps) {
  const title = conversationTitle(conversation);
  const preview = previewParts(conversation, currentUserId);
  const badge = unreadBadgeLabel(conversation.unreadCount);
  const unread = badge !== null;
  const muted = isMuted(conversation.notifications, now);
  // Greyed rather than hidden: the count is still true, it just will not call for attention.
  const quiet = isQuiet(conversation.notifications, now);
  const activityAt = conversation.lastMessage?.createdAt ?? conversation.lastActivityAt;

  return (
    <NavLink
      to={`/c/${conversation.id}`}
      className={({ isActive }) =>
        cn(
          'group relative flex items-center gap-3 rounded-xl px-3 py-2.5 transition-colors',
          'focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-indigo-600',
          isActive ? 'bg-indigo-100/60 ring-1 ring-inset ring-indigo-200/80' : 'hover:bg-slate-100/70',
        )
      }
      data-muted={muted}
    >
      {({ isActive }) => (
        <>
          <span className="relative shrink-0">
            <ConversationAvatar conversation={conversation} />
            <PresenceIndicator presence={presence} decorative className="absolute -bottom-0.5 -right-0.5" />
          </span>
          <span className="min-w-0 flex-1">
            <span className="flex items-baseline gap-2">
              <span
                className={cn(
                  'min-w-0 flex-1 truncate text-sm',
                  unread ? 'font-semibold text-slate-900' : 'font-medium text-slate-800',
                  isActive && 'text-indigo-950',
                )}
              >
                {title}
                {presence && <span className="sr-only"> ({presenceLabel(presence.status)})</span>}
              </span>
              <time
                dateTime={activityAt}
                title={formatFullDateTime(activityAt)}
                className={cn(
                  'shrink-0 text-xs tabular-nums',
                  unread && !quiet ? 'font-semibold text-indigo-600' : unread ? 'font-semibold text-slate-500' : isActive ? 'text-slate-600' : 'text-slate-500',
                )}
              >
                {formatRelativeTime(activityAt, now)}
              </time>
            </span>
            <span className="mt-0.5 flex items-center gap-2">
              <span
                className={cn(
                  'min-w-0 flex-1 truncate text-[0.8125rem]',
                  preview.kind === 'deleted' && 'italic',
                  // The selected row's tint needs the darker grey for readable contrast.
                  unread ? 'font-medium text-slate-700' : isActive ? 'text-slate-600' : 'text-slate-500',
                )}
              >
                {preview.kind === 'message' && preview.sender !== null && (
                  <span className={cn(unread ? 'text-slate-900' : 'text-slate-600')}>{preview.sender}: </span>
                )}
                {preview.kind === 'message' && preview.files && (
                  <>
                    <PaperClipIcon className="mr-0.5 inline size-3.5 align-[-0.125em]" />
                    <span className="sr-only">Files: </span>
                  </>
                )}
                {preview.text}
              </span>
              {muted && (
                <span className="shrink-0 text-slate-400" title="Muted">
                  <BellSlashIcon className="size-4" />
                  <span className="sr-only">, muted</span>
                </span>
              )}
              {conversation.mentionCount > 0 && (
                <span
                  title={`${conversation.mentionCount} ${conversation.mentionCount === 1 ? 'mention' : 'mentions'}`}
                  data-greyed={muted}
                  className={cn(
                    'inline-flex h-5 min-w-5 shrink-0 items-center justify-center gap-px rounded-full px-1.5 text-[0.6875rem] font-bold tabular-nums',
                    muted ? 'bg-slate-200 text-slate-700' : 'bg-amber-500 text-amber-950',
                  )}
                >
                  <span aria-hidden="true">@{unreadBadgeLabel(conversation.mentionCount)}</span>
                  <span className="sr-only">
                    , {conversation.mentionCount} {conversation.mentionCount === 1 ? 'mention' : 'mentions'}
                  </span>
                </span>
              )}
              {badge !== null && (
                <span
                  data-unread-badge
                  data-greyed={quiet}
                  className={cn(
                    'inline-flex h-5 min-w-5 shrink-0 items-center justify-center rounded-full px-1.5 text-[0.6875rem] font-semibold tabular-nums',
                    quiet ? 'bg-slate-300 text-slate-800' : 'bg-indigo-600 text-white',
                  )}
                >
                  <span aria-hidden="true">{badge}</span>
                  <span className="sr-only">
                    , {conversation.unreadCount} unread {conversation.unreadCount === 1 ? 'message' : 'messages'}
                  </span>
                </span>
              )}
            </span>
          </span>
        </>
      )}
    </NavLink>
  );
});
