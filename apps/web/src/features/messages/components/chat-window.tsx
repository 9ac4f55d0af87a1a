import type { ConversationDetail, Mentions, UploadedFile } from '@chat/shared';
import { useQueryClient } from '@tanstack/react-query';
import { Fragment, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ConfirmDialog } from '../../../components/ui/confirm-dialog';
import { LoadError } from '../../../components/ui/empty-state';
import { Spinner } from '../../../components/ui/spinner';
import { genericErrorMessage } from '../../../lib/form-errors';
import { cn } from '../../../lib/cn';
import { NoMessagesYet } from '../../conversations';
import { DropOverlay, useComposerFiles } from '../../files';
import { useDeleteMessage, useEditMessage } from '../api/use-message-mutations';
import { type LoadableHistory, useLoadToFirstUnread, useLoadToSeq, useMessages, useMessageWindow } from '../api/use-messages';
import { useBatchedReadCount } from '../api/use-read-count';
import { useSendMessage } from '../api/use-send-message';
import { useMarkRead } from '../hooks/use-mark-read';
import { useTypingNotifier, useTypingUsers } from '../hooks/use-typing';
import { isEditable } from '../lib/edit-window';
import { canMentionEveryone, type MentionCandidate, mentionsInText } from '../lib/mentions';
import type { ChatMessage } from '../lib/message-cache';
import { type FocusPlan, holdsFocus, type LoadedHistory, type MessageFocus, planFocus } from '../lib/message-focus';
import { computeReadInfo } from '../lib/read-state';
import { joinWindowToTimeline } from '../lib/timeline-store';
import { MessageBubble } from './message-bubble';
import { SystemMessage } from './system-message';
import { MessageReceiptsDialog } from './message-receipts-dialog';
import { MessageInput } from './message-input';
import { MessageList, type MessageListHandle } from './message-list';
import { ThreadPanel } from './thread-panel';
import { TypingIndicator } from './typing-indicator';

export interface ChatWindowProps {
  conversation: ConversationDetail;
  currentUserId: string | undefined;
  /** Open at this message (a search result) instead of the first unread one or the bottom. */
  focusMessage?: MessageFocus;
  /** Open this thread's panel (a link to a reply, e.g. a search result). */
  openThreadId?: string;
}

/**
 * What the list shows: the live timeline, or a window around an old message (a jump). The live
 * timeline stays cached and current meanwhile (new, pending and caught-up messages go there, never
 * into a window), so a jump cannot lose a message; the window joins it once it reaches it, and the
 * way back to the latest messages is always there.
 */
interface TimelineView {
  aroundSeq?: number;
  /** The message this view opens at: scrolled to, focused and highlighted. */
  focus?: MessageFocus;
  /** Older pages of what is shown load back to the focused message first. */
  pageBack?: boolean;
  /** Opened by "Jump to latest": the newest message takes focus. */
  toLatest?: boolean;
  /**
   * Jumped before the live timeline was in (nothing cached): both load side by side, and the
   * live timeline is shown instead when it holds the message after all.
   */
  tentative?: boolean;
  /** Changes when the list opens afresh (a jump, back to the latest), not when a window joins the timeline. */
  epoch: number;
}

function nextView(view: TimelineView, plan: FocusPlan, focus: MessageFocus, liveLoading: boolean): TimelineView {
  if (plan.kind === 'jump') return { aroundSeq: plan.aroundSeq, focus, tentative: liveLoading, epoch: view.epoch + 1 };
  const pageBack = plan.kind === 'page-back';
  // Where it is shown already: the list stays and scrolls to it.
  if (plan.in === 'window' || view.aroundSeq === undefined) return { aroundSeq: view.aroundSeq, focus, pageBack, epoch: view.epoch };
  return { focus, pageBack, epoch: view.epoch + 1 };
}

function sameEntries(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [key, value] of a) if (b.get(key) !== value) return false;
  return true;
}

function loadable(
  query: Pick<LoadableHistory, 'status' | 'hasNextPage' | 'isFetchingNextPage' | 'isFetchNextPageError' | 'fetchNextPage'>,
  messages: readonly ChatMessage[] | undefined,
): LoadableHistory {
  const { status, hasNextPage, isFetchingNextPage, isFetchNextPageError, fetchNextPage } = query;
  return { messages, status, hasNextPage, isFetchingNextPage, isFetchNextPageError, fetchNextPage };
}

/** The timeline and composer of one conversation. */
export function ChatWindow({ conversation, currentUserId, focusMessage, openThreadId }: ChatWindowProps) {
  const conversationId = conversation.id;
  const isGroup = conversation.type === 'group';
  const queryClient = useQueryClient();
  const live = useMessages(conversationId);
  const [view, setView] = useState<TimelineView>({ epoch: 0 });
  const [plannedFor, setPlannedFor] = useState<string | undefined>(undefined);
  const jumped = useMessageWindow(conversationId, view.aroundSeq);
  const detached = view.aroundSeq !== undefined;
  const windowData = detached ? jumped.data : undefined;

  // A message to open at (a search result): shown where it is loaded, paged back to when it is a
  // page or two away, jumped to otherwise (and at once when nothing is cached).
  if (focusMessage && focusMessage.key !== plannedFor) {
    const liveHistory: LoadedHistory | undefined = live.data && { messages: live.data, hasOlder: live.hasNextPage };
    const windowHistory: LoadedHistory | undefined = windowData && { messages: windowData.messages, hasOlder: jumped.hasNextPage };
    setPlannedFor(focusMessage.key);
    setView(nextView(view, planFocus(focusMessage, liveHistory, windowHistory), focusMessage, live.status === 'pending'));
  } else if (!focusMessage && plannedFor !== undefined) {
    // Back at the plain conversation link (the sidebar, the browser's Back): its latest messages.
    setPlannedFor(undefined);
    if (detached) setView({ epoch: view.epoch + 1 });
  } else if (view.tentative && live.status !== 'pending') {
    setView(view.focus && holdsFocus(live.data, view.focus) ? { focus: view.focus, epoch: view.epoch } : { ...view, tentative: false });
  }

  const shown = detached ? jumped : live;
  const messages = detached ? windowData?.messages : live.data;
  const { status, error, refetch, isRefetching, hasNextPage, isFetchingNextPage, fetchNextPage } = shown;
  const { send, retry, discard } = useSendMessage(conversationId);
  const { mutateAsync: editMessage } = useEditMessage(conversationId);
  const remove = useDeleteMessage(conversationId);
  const [deleting, setDeleting] = useState<ChatMessage | null>(null);
  const typingIds = useTypingUsers(conversationId, currentUserId);
  const { typed, stopped } = useTypingNotifier(conversationId);
  // Thread replies are held in the timeline (one gapless stream) and shown in their thread only.
  const list = useMemo(() => (messages ?? []).filter((message) => message.threadRootId === null), [messages]);
  const [threadRootId, setThreadRootId] = useState<string | undefined>(openThreadId);
  const [threadLinked, setThreadLinked] = useState(openThreadId);
  if (openThreadId !== threadLinked) {
    setThreadLinked(openThreadId);
    if (openThreadId) setThreadRootId(openThreadId);
  }
  const openThread = useCallback((message: ChatMessage) => setThreadRootId(message.id), []);
  const observeForRead = useMarkRead(conversationId, list, currentUserId);
  const [infoFor, setInfoFor] = useState<string | null>(null);
  // Where "New messages" goes: fixed when the conversation opens, even as reading moves the marker.
  const [readUpToAtOpen] = useState(conversation.lastReadSeq);
  const [hadUnreadAtOpen] = useState(conversation.unreadCount > 0);
  // Opened at a message, the conversation opens there and the message (not the composer) takes focus.
  const [openedAtMessage] = useState(focusMessage !== undefined);
  // A busy conversation opens at its first unread message, so older pages up to it load first.
  const reachedUnread = useLoadToFirstUnread(live, readUpToAtOpen, hadUnreadAtOpen && !openedAtMessage);
  // A message a page or two older than what is shown loads back to it first.
  const reachedFocus = useLoadToSeq(loadable(shown, messages), view.pageBack ? view.focus?.seq : undefined);
  const positioned = !view.tentative && reachedFocus && (detached || reachedUnread);
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
  // The same map while nobody new appears, so the bubbles (memoised) do not all render again per message.
  const [mentionNames, setMentionNames] = useState(names);
  if (mentionNames !== names && !sameEntries(mentionNames, names)) setMentionNames(names);
  const mentionCandidates = useMemo<MentionCandidate[]>(
    () => conversation.participants.filter(({ user }) => user.id !== currentUserId).map(({ user }) => ({ id: user.id, displayName: user.displayName })),
    [conversation.participants, currentUserId],
  );
  const everyoneAllowed = canMentionEveryone(conversation);

  // The window reached the live timeline: it joins it, and the list goes on from there unmoved.
  useEffect(() => {
    if (view.aroundSeq === undefined || !windowData || !live.data) return;
    if (joinWindowToTimeline(queryClient, conversationId, view.aroundSeq)) setView(({ aroundSeq: _, ...rest }) => rest);
  }, [view.aroundSeq, windowData, live.data, queryClient, conversationId]);

  // What arrived live since the window was read, while it is shown.
  const newSinceJump = useMemo(() => {
    if (!windowData || !live.data) return 0;
    return live.data.filter((message) => message.status === 'delivered' && message.seq > windowData.readAtSeq && message.senderId !== currentUserId).length;
  }, [windowData, live.data, currentUserId]);

  const backToLatest = useCallback((focusNewest: boolean) => setView((current) => ({ toLatest: focusNewest, epoch: current.epoch + 1 })), []);
  // Sending from a window goes back to the latest messages, where the new one shows.
  const onSend = (content: string, attachments: readonly UploadedFile[], mentions: Mentions) => {
    if (detached) backToLatest(false);
    send(content, attachments, mentions);
  };
  const composerDisabled = live.status !== 'success' || status !== 'success' || !positioned;
  const { uploads, dragging, dropProps } = useComposerFiles(!composerDisabled);

  // "Jump to latest" leaves focus on the newest message, not on the vanished pill.
  const focusedLatestFor = useRef<number | null>(null);
  useEffect(() => {
    const newest = list.at(-1);
    if (!view.toLatest || detached || !positioned || !newest || focusedLatestFor.current === view.epoch) return;
    focusedLatestFor.current = view.epoch;
    listRef.current?.focusMessage(newest.id);
  }, [view, detached, positioned, list]);

  // An edit names whoever its new text names among the members now (the server refuses anyone else).
  const onEdit = useCallback(
    (message: ChatMessage, content: string) =>
      editMessage({ messageId: message.id, content, mentions: mentionsInText(content, mentionCandidates, everyoneAllowed) }),
    [editMessage, mentionCandidates, everyoneAllowed],
  );
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
              names={mentionNames}
              currentUserId={currentUserId}
              mentionCandidates={mentionCandidates}
              everyoneAllowed={everyoneAllowed}
              onRetry={retry}
              onDiscard={discard}
              onEdit={onEdit}
              onDelete={onDelete}
              onInfo={onInfo}
              onOpenThread={openThread}
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
        key={view.epoch}
        hasOlder={hasNextPage}
        loadingOlder={isFetchingNextPage}
        loadOlder={() => void fetchNextPage()}
        hasNewer={detached && jumped.hasPreviousPage}
        loadingNewer={detached && jumped.isFetchingPreviousPage}
        loadNewer={() => void jumped.fetchPreviousPage()}
        onJumpToLatest={detached ? () => backToLatest(true) : undefined}
        newSinceJump={newSinceJump}
        renderMessage={renderMessage}
        anchorId={view.focus?.id ?? (view.epoch === 0 ? firstUnreadId : undefined)}
        highlight={view.focus}
        ref={listRef}
      >
        <TypingIndicator names={typingNames} />
      </MessageList>
    );
  }

  return (
    // On a wide screen an open thread sits beside the list, which makes room for it (the panel is w-96); narrower, it covers the list.
    <section aria-label="Messages" className={cn('relative flex min-h-0 flex-1 flex-col', threadRootId && 'lg:pr-96')} {...dropProps}>
      {body}
      <DropOverlay dragging={dragging} />
      <MessageInput
        ref={composerRef}
        onSend={onSend}
        uploads={uploads}
        onTyping={typed}
        onStopTyping={stopped}
        onEditLast={editLast}
        mentionCandidates={mentionCandidates}
        everyoneAllowed={everyoneAllowed}
        autoFocus={!openedAtMessage}
        disabled={composerDisabled}
        disabledReason="Loading…"
      />
      {threadRootId && (
        <ThreadPanel
          key={threadRootId}
          conversationId={conversationId}
          rootId={threadRootId}
          currentUserId={currentUserId}
          isGroup={isGroup}
          names={mentionNames}
          mentionCandidates={mentionCandidates}
          everyoneAllowed={everyoneAllowed}
          onClose={() => {
            setThreadRootId(undefined);
            composerRef.current?.focus();
          }}
        />
      )}
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
