import type { Message } from '@chat/shared';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useSocket } from '../../../hooks/use-socket';
import { cachedConversation, changeMentionCount, refreshConversationList, showMessageInList, updateLastMessagePreview } from '../../conversations';
import { mentionsUser } from '../lib/mentions';
import { contiguousSeq, flattenMessagePages, hasGapBefore } from '../lib/message-cache';
import { applyReactionsEvent, mergeReactions } from '../lib/reactions';
import {
  cachedTimeline,
  catchUp,
  fillGap,
  forgetTimeline,
  markMessageDeleted,
  recordReadCount,
  recordThreadSummary,
  storeMessages,
  updateHeldMessage,
} from '../lib/timeline-store';
import { useOutboxDelivery } from './use-outbox';

const isTabVisible = () => typeof document === 'undefined' || document.visibilityState === 'visible';

/**
 * Wires the socket's message events into the timelines and, through the conversations feature, the
 * sidebar's previews, order and unread badges, for the whole signed-in app. Mounted once in the shell.
 */
export function useMessageRealtime({ currentUserId, openConversationId }: { currentUserId: string | undefined; openConversationId: string | undefined }) {
  const queryClient = useQueryClient();
  const socket = useSocket();
  useOutboxDelivery();
  const openRef = useRef(openConversationId);
  useEffect(() => {
    openRef.current = openConversationId;
  });

  useEffect(() => {
    /** Stores server messages; anything missing below them (seqs are gapless) is fetched. */
    const store = (message: Message) => {
      const gap = hasGapBefore(cachedTimeline(queryClient, message.conversationId), message.seq);
      storeMessages(queryClient, message.conversationId, [message]);
      if (gap) void fillGap(queryClient, message.conversationId).catch(() => undefined);
    };
    const heldMessage = (conversationId: string, messageId: string) =>
      flattenMessagePages(cachedTimeline(queryClient, conversationId)).find((message) => message.id === messageId);
    const offs = [
      socket.onMessageReceived(({ message, rootThread }) => {
        store(message);
        if (message.threadRootId) {
          if (rootThread) recordThreadSummary(queryClient, { conversationId: message.conversationId, rootId: message.threadRootId, thread: rootThread });
          // A reply is not unread in the conversation; a mention in it counts until the thread is read.
          if (message.senderId !== currentUserId && mentionsUser(message.mentions, currentUserId)) void refreshConversationList(queryClient);
          return;
        }
        const viewing = openRef.current === message.conversationId && isTabVisible();
        const sentByMe = message.senderId === currentUserId;
        const mentionsMe = !sentByMe && mentionsUser(message.mentions, currentUserId);
        showMessageInList(queryClient, message, { countAsUnread: !sentByMe && !viewing, sentByMe, mentionsMe, fetchIfMissing: true });
      }),
      socket.on('message:updated', ({ message }) => {
        const before = heldMessage(message.conversationId, message.id);
        if (message.senderId !== currentUserId) {
          const after = mentionsUser(message.mentions, currentUserId);
          if (!before) {
            // Without the version it replaces, whether the mention is new cannot be told: ask the server, if it is unread.
            if (message.seq > (cachedConversation(queryClient, message.conversationId)?.lastReadSeq ?? 0)) void refreshConversationList(queryClient);
          } else if (mentionsUser(before.mentions, currentUserId) !== after) {
            changeMentionCount(queryClient, message.conversationId, message.seq, after ? 1 : -1);
          }
        }
        // Sent to the whole room, so its `me` is nobody's: keep ours.
        store(before ? mergeReactions(before, message, { roomCopy: true }) : message);
        updateLastMessagePreview(queryClient, message.conversationId, message.id, message.content, message.deletedAt !== null);
      }),
      socket.on('message:deleted', ({ conversationId, messageId, seq, deletedAt, mentions }) => {
        // Naming myself never counted (the event does not say who sent it; the held copy does).
        const mine = heldMessage(conversationId, messageId)?.senderId === currentUserId;
        if (!mine && mentionsUser(mentions, currentUserId)) changeMentionCount(queryClient, conversationId, seq, -1);
        // A delete of a message not held yet: fetch it (deleted) rather than get its older copy later.
        const held = cachedTimeline(queryClient, conversationId);
        if (held && seq > contiguousSeq(held) && !held.pages.some((page) => page.messages.some((message) => message.id === messageId))) {
          void fillGap(queryClient, conversationId).catch(() => undefined);
        }
        markMessageDeleted(queryClient, conversationId, messageId, deletedAt);
        updateLastMessagePreview(queryClient, conversationId, messageId, '', true);
        // The unread count may have dropped (deleted messages do not count).
        void refreshConversationList(queryClient);
      }),
      socket.on('message:reactions', (event) =>
        updateHeldMessage(queryClient, event.conversationId, event.messageId, (message) => applyReactionsEvent(message, event, currentUserId)),
      ),
      socket.on('receipt:count', (event) => recordReadCount(queryClient, event)),
      socket.on('thread:updated', (event) => recordThreadSummary(queryClient, event)),
      // A conversation the user lost: its timeline goes too (the conversations feature handles the rest).
      socket.on('conversation:removed', ({ conversationId }) => forgetTimeline(queryClient, conversationId)),
      socket.onResync(() => void catchUp(queryClient, socket).catch(() => undefined)),
    ];
    return () => {
      for (const off of offs) off();
    };
  }, [socket, queryClient, currentUserId]);
}
