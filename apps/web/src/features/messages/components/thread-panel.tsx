import { type KeyboardEvent, useEffect, useMemo, useRef } from 'react';
import { IconButton } from '../../../components/ui/icon-button';
import { XMarkIcon } from '../../../components/ui/icons';
import { Spinner } from '../../../components/ui/spinner';
import { DropOverlay, useComposerFiles } from '../../files';
import { useMessages } from '../api/use-messages';
import { useSendMessage } from '../api/use-send-message';
import { useMarkThreadRead, useThread } from '../api/use-thread';
import { useTypingNotifier, useTypingUsers } from '../hooks/use-typing';
import type { MentionCandidate } from '../lib/mentions';
import { type ChatMessage, mergeMessages, toChatMessage } from '../lib/message-cache';
import { replyCountLabel } from '../lib/thread-labels';
import { MessageBubble } from './message-bubble';
import { MessageInput } from './message-input';
import { TypingIndicator } from './typing-indicator';

export interface ThreadPanelProps {
  conversationId: string;
  rootId: string;
  currentUserId: string | undefined;
  isGroup: boolean;
  names: ReadonlyMap<string, string>;
  mentionCandidates: readonly MentionCandidate[];
  everyoneAllowed: boolean;
  onClose: () => void;
}

/**
 * A thread beside the conversation (over it on a phone): the root, its replies oldest first, who
 * is typing in it, and a composer of its own (files and typing as the main one's) whose messages
 * go through the same outbox as the main one. What the server had when it opened, plus every
 * reply the conversation's timeline holds (live, sent from here, caught up after a reconnect), so
 * nothing is fetched twice.
 */
export function ThreadPanel({ conversationId, rootId, currentUserId, isGroup, names, mentionCandidates, everyoneAllowed, onClose }: ThreadPanelProps) {
  const thread = useThread(conversationId, rootId);
  const timeline = useMessages(conversationId);
  const { send, retry, discard } = useSendMessage(conversationId, rootId);
  const markRead = useMarkThreadRead(conversationId, rootId);
  const held = timeline.data;
  const pages = thread.data?.pages;
  const root = useMemo(() => {
    const live = held?.find((message) => message.id === rootId);
    const fetched = pages?.[0]?.root;
    return live ?? (fetched ? toChatMessage(fetched) : undefined);
  }, [held, rootId, pages]);
  const replies = useMemo<ChatMessage[]>(
    () =>
      mergeMessages(
        (held ?? []).filter((message) => message.threadRootId === rootId),
        pages?.flatMap((page) => page.replies) ?? [],
      ),
    [held, rootId, pages],
  );

  // Whatever is on screen here is read: the thread marker follows the newest stored reply.
  const newestSeq = replies.findLast((message) => message.status === 'delivered')?.seq ?? 0;
  const markedSeq = useRef(0);
  const { mutate: markThreadRead } = markRead;
  useEffect(() => {
    if (newestSeq <= markedSeq.current) return;
    markedSeq.current = newestSeq;
    markThreadRead(newestSeq);
  }, [newestSeq, markThreadRead]);

  const scroller = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = scroller.current;
    if (element) element.scrollTop = element.scrollHeight;
  }, [replies.length]);

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (event.key === 'Escape' && !event.defaultPrevented) onClose();
  };
  const composerDisabled = !root || root.deletedAt !== null;
  const { uploads, dragging, dropProps } = useComposerFiles(!composerDisabled);
  const typingIds = useTypingUsers(conversationId, currentUserId, rootId);
  const { typed, stopped } = useTypingNotifier(conversationId, rootId);
  const typingNames = typingIds.map((id) => names.get(id) ?? 'Someone');

  return (
    <aside
      aria-label="Thread"
      onKeyDown={onKeyDown}
      {...dropProps}
      className="fixed inset-0 z-30 flex min-h-0 flex-col bg-white md:absolute md:inset-y-0 md:left-auto md:right-0 md:w-96 md:border-l md:border-slate-200 md:shadow-xl"
    >
      <header className="flex items-center justify-between border-b border-slate-200 px-4 py-3">
        <h2 className="text-sm font-semibold text-slate-900">Thread</h2>
        <IconButton label="Close thread" icon={<XMarkIcon className="size-5" />} onClick={onClose} />
      </header>
      <div ref={scroller} className="min-h-0 flex-1 overflow-y-auto bg-slate-50 px-4 py-3">
        {!root ? (
          thread.isError ? (
            <p className="text-sm text-slate-600">This thread could not be loaded.</p>
          ) : (
            <p role="status" className="flex items-center gap-2 text-sm text-slate-500">
              <Spinner className="size-4" /> Loading the thread…
            </p>
          )
        ) : (
          <>
            <MessageBubble message={root} own={root.senderId === currentUserId} showSender={isGroup} names={names} currentUserId={currentUserId} />
            <div role="separator" className="my-3 flex items-center gap-3 text-xs font-medium text-slate-500">
              {replyCountLabel(replies.filter((message) => message.deletedAt === null).length)}
              <span className="h-px flex-1 bg-slate-200" />
            </div>
            <ol aria-label="Replies" className="flex flex-col gap-2">
              {replies.map((message) => (
                <li key={message.id}>
                  <MessageBubble
                    message={message}
                    own={message.senderId === currentUserId}
                    showSender={message.senderId !== currentUserId}
                    names={names}
                    currentUserId={currentUserId}
                    onRetry={retry}
                    onDiscard={discard}
                  />
                </li>
              ))}
            </ol>
            {thread.hasNextPage && (
              <button
                type="button"
                onClick={() => void thread.fetchNextPage()}
                disabled={thread.isFetchingNextPage}
                className="mt-3 w-full rounded-lg px-3 py-2 text-sm font-medium text-indigo-700 hover:bg-indigo-50 focus-visible:outline-2 focus-visible:outline-indigo-600"
              >
                {thread.isFetchingNextPage ? 'Loading…' : 'Show more replies'}
              </button>
            )}
            <TypingIndicator names={typingNames} />
          </>
        )}
      </div>
      <DropOverlay dragging={dragging} />
      <MessageInput
        onSend={send}
        uploads={uploads}
        onTyping={typed}
        onStopTyping={stopped}
        mentionCandidates={mentionCandidates}
        everyoneAllowed={everyoneAllowed}
        inThread
        placeholder="Reply…"
        label="Reply"
        autoFocus
        disabled={composerDisabled}
        disabledReason={root?.deletedAt ? 'This message was deleted' : 'Loading…'}
      />
    </aside>
  );
}
