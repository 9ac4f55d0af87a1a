import { type ConversationDetail, type Message, MESSAGE_PAGE_MAX, type ReceiptCountEvent, SYNC_MAX_CONVERSATIONS } from '@chat/shared';
import { type QueryClient, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useNavigate } from 'react-router';
import { useSocket } from '../../../hooks/use-socket';
import type { ChatSocketService } from '../../../lib/socket';
import {
  applyMessageToPages,
  applyReadState,
  type ConversationPages,
  conversationKeys,
  forgetConversation,
  patchConversationInPages,
  removalNoticeText,
  showRemovalNotice,
} from '../../conversations';
import { messageKeys } from '../api/message-keys';
import { messagesApi } from '../api/messages-api';
import { applyMessages, contiguousSeq, hasGapBefore, hasHole, type MessagePages, patchMessage } from '../lib/message-cache';
import { useOutboxDelivery } from './use-outbox';

/** Safety stop for a catch-up that keeps saying hasMore (10 000 messages at 100 a round). */
const MAX_SYNC_ROUNDS = 100;

/** Puts server messages into a conversation's cached timeline, if it is cached at all. */
export function storeMessages(queryClient: QueryClient, conversationId: string, messages: readonly Message[], meta?: { syncedAt?: string; lastSeq?: number }) {
  queryClient.setQueryData<MessagePages>(messageKeys.list(conversationId), (data) => applyMessages(data, messages, meta));
}

/** One gap fill per conversation at a time; a request made meanwhile runs once it is done. */
const gapFills = new Map<string, { promise: Promise<void>; again: boolean }>();

/**
 * Fetches everything after the contiguous mark (a lost fan-out, a held send stored above a hole,
 * a delete of a message we never got), until nothing is missing below the newest message held.
 */
export function fillGap(queryClient: QueryClient, conversationId: string): Promise<void> {
  const running = gapFills.get(conversationId);
  if (running) {
    running.again = true;
    return running.promise;
  }
  const state = { promise: Promise.resolve(), again: false };
  state.promise = (async () => {
    try {
      for (let round = 0; round < MAX_SYNC_ROUNDS; round += 1) {
        state.again = false;
        const data = queryClient.getQueryData<MessagePages>(messageKeys.list(conversationId));
        if (!data) return;
        const page = await messagesApi.history(conversationId, { afterSeq: contiguousSeq(data), limit: MESSAGE_PAGE_MAX });
        storeMessages(queryClient, conversationId, page.messages, { lastSeq: page.lastSeq });
        const after = queryClient.getQueryData<MessagePages>(messageKeys.list(conversationId));
        if (!state.again && !page.hasMore && !hasHole(after)) return;
        if (page.messages.length === 0 && !state.again) return;
      }
    } finally {
      gapFills.delete(conversationId);
    }
  })();
  gapFills.set(conversationId, state);
  return state.promise;
}

/**
 * The catch-up protocol: for every conversation with a cached timeline, ask for what came after
 * the contiguous mark (never the highest seq seen: a held send stored on reconnect, or a live
 * message after a lost one, sits above a hole) and for edits/deletes since the last catch-up;
 * repeat while hasMore.
 */
export async function catchUp(queryClient: QueryClient, socket: Pick<ChatSocketService, 'sync'>): Promise<void> {
  let pending = queryClient
    .getQueriesData<MessagePages>({ queryKey: messageKeys.lists() })
    .flatMap(([key, data]) => {
      const conversationId = key[2];
      const latest = data?.pages[0];
      if (typeof conversationId !== 'string' || !conversationId || !latest) return [];
      return [{ conversationId, afterSeq: contiguousSeq(data), updatedSince: latest.syncedAt }];
    })
    .slice(0, SYNC_MAX_CONVERSATIONS);

  for (let round = 0; pending.length > 0 && round < MAX_SYNC_ROUNDS; round += 1) {
    const result = await socket.sync({ conversations: pending });
    const next: typeof pending = [];
    for (const page of result.conversations) {
      storeMessages(queryClient, page.conversationId, [...page.messages, ...page.updates], { syncedAt: page.syncedAt, lastSeq: page.lastSeq });
      const data = queryClient.getQueryData<MessagePages>(messageKeys.list(page.conversationId));
      if (data && page.hasMore && page.messages.length > 0) next.push({ conversationId: page.conversationId, afterSeq: contiguousSeq(data), updatedSince: page.syncedAt });
    }
    pending = next;
  }
}

/** A participant's read marker only moves forward. */
export function advanceParticipantMarker(detail: ConversationDetail | undefined, userId: string, seq: number): ConversationDetail | undefined {
  if (!detail) return detail;
  const index = detail.participants.findIndex((participant) => participant.user.id === userId);
  const participant = detail.participants[index];
  if (!participant || (participant.lastReadSeq ?? 0) >= seq) return detail;
  const participants = [...detail.participants];
  participants[index] = { ...participant, lastReadSeq: seq };
  return { ...detail, participants };
}

const isTabVisible = () => typeof document === 'undefined' || document.visibilityState === 'visible';

/**
 * Wires the socket's server events into the query caches for the whole signed-in app: timelines,
 * the sidebar (previews, order, unread badges) and conversation details. Mounted once in the shell.
 */
export function useRealtimeSync({ currentUserId, openConversationId }: { currentUserId: string | undefined; openConversationId: string | undefined }) {
  const queryClient = useQueryClient();
  const socket = useSocket();
  const navigate = useNavigate();
  useOutboxDelivery();
  const openRef = useRef(openConversationId);
  useEffect(() => {
    openRef.current = openConversationId;
  });

  useEffect(() => {
    const offs = [
      socket.onMessageReceived(({ message }) => {
        const key = messageKeys.list(message.conversationId);
        const cached = queryClient.getQueryData<MessagePages>(key);
        const gap = hasGapBefore(cached, message.seq);
        storeMessages(queryClient, message.conversationId, [message]);
        if (gap) void fillGap(queryClient, message.conversationId).catch(() => undefined);

        const viewing = openRef.current === message.conversationId && isTabVisible();
        const countAsUnread = message.senderId !== currentUserId && !viewing;
        const list = queryClient.getQueryData<ConversationPages>(conversationKeys.list());
        const next = applyMessageToPages(list, message, { countAsUnread, sentByMe: message.senderId === currentUserId });
        if (list && next === list && !list.pages.some((page) => page.conversations.some((item) => item.id === message.conversationId))) {
          // A conversation the list does not show yet (new, or on an unloaded page).
          void queryClient.invalidateQueries({ queryKey: conversationKeys.list() });
        } else {
          queryClient.setQueryData(conversationKeys.list(), next);
        }
      }),
      socket.on('message:updated', ({ message }) => {
        const gap = hasGapBefore(queryClient.getQueryData<MessagePages>(messageKeys.list(message.conversationId)), message.seq);
        storeMessages(queryClient, message.conversationId, [message]);
        if (gap) void fillGap(queryClient, message.conversationId).catch(() => undefined);
        queryClient.setQueryData<ConversationPages>(conversationKeys.list(), (data) =>
          patchConversationInPages(data, message.conversationId, (conversation) =>
            conversation.lastMessage?.id === message.id
              ? { ...conversation, lastMessage: { ...conversation.lastMessage, preview: message.content.slice(0, 100), deleted: message.deletedAt !== null } }
              : conversation,
          ),
        );
      }),
      socket.on('message:deleted', ({ conversationId, messageId, seq, deletedAt }) => {
        // A delete of a message not held yet: fetch it (deleted) rather than get its older copy later.
        const held = queryClient.getQueryData<MessagePages>(messageKeys.list(conversationId));
        if (held && seq > contiguousSeq(held) && !held.pages.some((page) => page.messages.some((message) => message.id === messageId))) {
          void fillGap(queryClient, conversationId).catch(() => undefined);
        }
        queryClient.setQueryData<MessagePages>(messageKeys.list(conversationId), (data) =>
          patchMessage(
            data,
            (message) => message.id === messageId,
            (message) => ({ ...message, content: '', deletedAt, updatedAt: deletedAt > message.updatedAt ? deletedAt : message.updatedAt }),
          ),
        );
        queryClient.setQueryData<ConversationPages>(conversationKeys.list(), (data) =>
          patchConversationInPages(data, conversationId, (conversation) =>
            conversation.lastMessage?.id === messageId ? { ...conversation, lastMessage: { ...conversation.lastMessage, preview: '', deleted: true } } : conversation,
          ),
        );
        // The unread count may have dropped (deleted messages do not count).
        void queryClient.invalidateQueries({ queryKey: conversationKeys.list() });
      }),
      socket.on('conversation:changed', ({ conversationId, kind }) => {
        // Make sure this socket is in the room of a conversation it was just added to.
        if (kind !== 'updated') void socket.subscribe(conversationId).catch(() => undefined);
        void queryClient.invalidateQueries({ queryKey: conversationKeys.list() });
        void queryClient.invalidateQueries({ queryKey: conversationKeys.detail(conversationId) });
      }),
      socket.on('conversation:removed', (event) => {
        const { conversationId } = event;
        // Someone else took it away: say who, rather than the group silently vanishing.
        const notice = removalNoticeText(event, currentUserId);
        if (notice) showRemovalNotice(queryClient, { conversationId, text: notice });
        if (openRef.current === conversationId) void navigate('/', { replace: true });
        queryClient.removeQueries({ queryKey: messageKeys.list(conversationId) });
        void forgetConversation(queryClient, conversationId);
      }),
      socket.on('conversation:read', (read) => {
        queryClient.setQueryData<ConversationPages>(conversationKeys.list(), (data) =>
          patchConversationInPages(data, read.conversationId, (conversation) => applyReadState(conversation, read)),
        );
      }),
      socket.on('receipt:updated', ({ conversationId, userId, seq }) => {
        queryClient.setQueryData<ConversationDetail>(conversationKeys.detail(conversationId), (detail) => advanceParticipantMarker(detail, userId, seq));
      }),
      socket.on('receipt:count', (event) => {
        queryClient.setQueryData<ReceiptCountEvent>(messageKeys.readCount(event.conversationId), (current) =>
          current && current.seq > event.seq ? current : event,
        );
      }),
      socket.onResync(() => {
        void catchUp(queryClient, socket).catch(() => undefined);
        // Unread counts, previews and read markers may all have moved while we were away (or asleep,
        // with events possibly lost): nothing polls these, so fetch them again.
        void queryClient.invalidateQueries({ queryKey: conversationKeys.list() });
        void queryClient.invalidateQueries({ queryKey: conversationKeys.details() });
      }),
    ];
    return () => {
      for (const off of offs) off();
    };
  }, [socket, queryClient, navigate, currentUserId]);
}
