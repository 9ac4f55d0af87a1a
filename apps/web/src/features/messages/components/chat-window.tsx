import type { ConversationDetail } from '@chat/shared';
import { useQueryClient } from '@tanstack/react-query';
import { Fragment, useCallback, useMemo, useRef, useState } from 'react';
import { ConfirmDialog } from '../../../components/ui/confirm-dialog';
import { LoadError } from '../../../components/ui/empty-state';
import { Spinner } from '../../../components/ui/spinner';
import { genericErrorMessage } from '../../../lib/form-errors';
import { NoMessagesYet } from '../../conversations';
import { useDeleteMessage, useEditMessage } from '../api/use-message-mutations';
import { useLoadToFirstUnread, useLoadToSeq, useMessages } from '../api/use-messages';
import { useBatchedReadCount } from '../api/use-read-count';
import { useSendMessage } from '../api/use-send-message';
import { useMarkRead } from '../hooks/use-mark-read';
import { useTypingNotifier, useTypingUsers } from '../hooks/use-typing';
import { isEditable } from '../lib/edit-window';
import type { ChatMessage } from '../lib/message-cache';
import type { MessageFocus } from '../lib/message-focus';
import { computeReadInfo } from '../lib/read-state';
import { cachedTimeline } from '../lib/timeline-store';
import { MessageBubble } from './message-bubble';
import { SystemMessage } from './system-message';
import { MessageReceiptsDialog } from './message-receipts-dialog';
import { MessageInput } from './message-input';
import { MessageList, type MessageListHandle } from './message-list';
import { TypingIndicator } from './typing-indicator';

export interface ChatWindowProps {
  conversation: ConversationDetail;
  currentUserId: string | undefined;
  /** Open at this message (a search result) instead of the first unread one or the bottom. */
  focusMessage?: MessageFocus;
}

/** The timeline and composer of one conversation. */
export function ChatWindow({ conversation, currentUserId, focusMessage }: ChatWindowProps) {
  const conversationId = conversation.id;
  const isGroup = conversation.type === 'group';
  const queryClient = useQueryClient();
  // Opened at an old message with nothing cached: start at the page around it, not the latest.
  const [openAroundSeq] = useState(() => (focusMessage?.seq !== undefined && !cachedTimeline(queryClient, conversationId) ? focusMessage.seq : undefined));
  const timeline = useMessages(conversationId, openAroundSeq);
  const { data: messages, status, error, refetch, isRefetching, hasNextPage, isFetchingNextPage, fetchNextPage } = timeline;
  const { hasPreviousPage: hasNewer, isFetchingPreviousPage: loadingNewer, fetchPreviousPage: fetchNewer } = timeline;
  const { send, retry, discard } = useSendMessage(conversationId);
  const { mutateAsync: editMessage } = useEditMessage(conversationId);
  const remove = useDeleteMessage(conversationId);
  const [deleting, setDeleting] = useState<ChatMessage | null>(null);
  const typingIds = useTypingUsers(conversationId, currentUserId);
  const { typed, stopped } = useTypingNotifier(conversationId);
  const list = useMemo(() => messages ?? [], [messages]);
  const observeForRead = useMarkRead(conversationId, list, currentUserId);
  const [infoFor, setInfoFor] = useState<string | null>(null);
  // Where "New messages" goes: fixed when the conversation opens, even as reading moves the marker.
  const [readUpToAtOpen] = useState(conversation.lastReadSeq);
  const [hadUnreadAtOpen] = useState(conversation.unreadCount > 0);
  // A busy conversation opens at its first unread message, so older pages up to it load first.
  const reachedUnread = useLoadToFirstUnread(timeline, readUpToAtOpen, hadUnreadAtOpen && openAroundSeq === undefined);
  // Opening at an older message (from search) loads back to it first.
  const reachedFocus = useLoadToSeq(timeline, focusMessage?.seq);
  const positioned = reachedUnread && reachedFocus;
  const listRef = useRef<MessageListHandle>(null);
  const composerRef = useRef<{ focus: () => void }>(null);
  const [editingId, setEditingId] = useState<string | null>(null);
  // Where focus goes back to when an edit ends: the composer (Up) or the message (its menu).
  const editStartedInComposer = useRef(false);
  const batchedCount = useBatchedReadCount(conversationId);
  const readInfo = useMemo(
    () => computeReadInfo(list, conversation.participants, currentUserId, isGroup, conversation.participantCount, batchedCount),
    [list, conversation.participants, currentUserId, isGroup, conversation.participantCount, batchedCount],
  );
  const firstUnreadId = useMemo(
    () => list.find((message) => message.status === 'delivered' && message.senderId !== currentUserId && message.seq > readUpToAtOpen)?.id,
    [list, currentUserId, readUpToAtOpen],
  );

  const names = useMemo(() => {
    const byId = new Map<string, string>();
    for (const participant of conversation.participants) byId.set(participant.user.id, participant.user.displayName);
    if (conversation.peer) byId.set(conversation.peer.id, conversation.peer.displayName);
    for (const message of list) if (!byId.has(message.senderId)) byId.set(message.senderId, message.sender.displayName);
    return byId;
  }, [conversation.participants, conversation.peer, list]);
  const typingNames = typingIds.map((id) => names.get(id) ?? 'Someone');

  const onEdit = useCallback((message: ChatMessage, content: string) => editMessage({ messageId: message.id, content }), [editMessage]);
  const onDelete = useCallback((message: ChatMessage) => setDeleting(message), []);
  const onInfo = useCallback((message: ChatMessage) => setInfoFor(message.id), []);
  const onEditingChange = useCallback((message: ChatMessage, editing: boolean) => {
    if (editing) {
      editStartedInComposer.current = false;
      setEditingId(message.id);
      return;
    }
    setEditingId(null);
    if (editStartedInComposer.current) composerRef.current?.focus();
    else listRef.current?.focusMessage(message.id);
  }, []);
  const editLast = useCallback(() => {
    const last = list.findLast((message) => isEditable(message, currentUserId));
    if (!last) return false;
    editStartedInComposer.current = true;
    setEditingId(last.id);
    return true;
  }, [list, currentUserId]);

  const renderMessage = (message: ChatMessage, index: number) => {
    const own = message.senderId === currentUserId;
    const previous = list[index - 1];
    const showSender = isGroup && !own && (previous?.senderId !== message.senderId || previous.contentType === 'system');
    const latestOwn = readInfo.latestOwn?.id === message.id ? readInfo.latestOwn : null;
    return (
      <Fragment>
        {message.id === firstUnreadId && (
          <div role="separator" aria-label="New messages" className="my-2 flex items-center gap-3 text-xs font-semibold text-indigo-600">
            <span className="h-px flex-1 bg-indigo-200" />
            New messages
            <span className="h-px flex-1 bg-indigo-200" />
          </div>
        )}
        <div ref={own ? undefined : observeForRead} data-read-seq={own ? undefined : message.seq}>
          {message.contentType === 'system' ? (
            <SystemMessage message={message} currentUserId={currentUserId} />
          ) : (
            <MessageBubble
              message={message}
              own={own}
              showSender={showSender}
              read={readInfo.readIds.has(message.id)}
              onRetry={retry}
              onDiscard={discard}
              onEdit={onEdit}
              onDelete={onDelete}
              onInfo={onInfo}
              editing={editingId === message.id}
              onEditingChange={onEditingChange}
              footer={
                latestOwn && latestOwn.count > 0 ? (
                  <button
                    type="button"
                    onClick={() => setInfoFor(message.id)}
                    aria-haspopup="dialog"
                    className="mt-0.5 rounded px-1 text-[0.6875rem] font-medium text-slate-500 hover:text-indigo-600 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600"
                  >
                    Read by {latestOwn.count}
                  </button>
                ) : undefined
              }
            />
          )}
        </div>
      </Fragment>
    );
  };

  let body;
  if (status === 'pending' || !positioned) {
    body = (
      <div role="status" className="flex flex-1 items-center justify-center gap-2 bg-slate-50 text-sm text-slate-500">
        <Spinner className="size-4" />
        Loading messages…
      </div>
    );
  } else if (status === 'error') {
    body = (
      <LoadError
        titleAs="p"
        title="Couldn't load the messages"
        error={genericErrorMessage(error)}
        descriptionClassName="text-slate-500"
        className="bg-slate-50 px-6"
        onRetry={() => void refetch()}
        isRetrying={isRefetching}
      />
    );
  } else if (list.length === 0) {
    body = (
      <div className="flex min-h-0 flex-1 flex-col bg-slate-50">
        <NoMessagesYet isGroup={isGroup} />
        <div className="px-4">
          <TypingIndicator names={typingNames} />
        </div>
      </div>
    );
  } else {
    body = (
      <MessageList
        messages={list}
        currentUserId={currentUserId}
        hasOlder={hasNextPage}
        loadingOlder={isFetchingNextPage}
        loadOlder={() => void fetchNextPage()}
        hasNewer={hasNewer}
        loadingNewer={loadingNewer}
        loadNewer={() => void fetchNewer()}
        renderMessage={renderMessage}
        anchorId={focusMessage?.id ?? firstUnreadId}
        highlight={focusMessage}
        ref={listRef}
      >
        <TypingIndicator names={typingNames} />
      </MessageList>
    );
  }

  return (
    <section aria-label="Messages" className="flex min-h-0 flex-1 flex-col">
      {body}
      <MessageInput
        ref={composerRef}
        onSend={send}
        onTyping={typed}
        onStopTyping={stopped}
        onEditLast={editLast}
        autoFocus
        disabled={status !== 'success' || !positioned}
        disabledReason="Loading…"
      />
      <MessageReceiptsDialog messageId={infoFor} onClose={() => setInfoFor(null)} />
      <ConfirmDialog
        open={deleting !== null}
        title="Delete message?"
        confirmLabel="Delete"
        onCancel={() => {
          setDeleting(null);
          remove.reset();
        }}
        onConfirm={() => {
          if (deleting) remove.mutate(deleting.id, { onSuccess: () => setDeleting(null) });
        }}
        pending={remove.isPending}
        error={remove.isError ? genericErrorMessage(remove.error) : null}
      >
        <p>The message will be deleted for everyone in this conversation.</p>
      </ConfirmDialog>
    </section>
  );
}
