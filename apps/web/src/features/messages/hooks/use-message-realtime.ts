import type { Message } from '@chat/shared';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useSocket } from '../../../hooks/use-socket';
import { refreshConversationList, showMessageInList, updateLastMessagePreview } from '../../conversations';
import { contiguousSeq, hasGapBefore } from '../lib/message-cache';
import { cachedTimeline, catchUp, fillGap, forgetTimeline, markMessageDeleted, recordReadCount, storeMessages } from '../lib/timeline-store';
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
    const offs = [
      socket.onMessageReceived(({ message }) => {
        store(message);
        const viewing = openRef.current === message.conversationId && isTabVisible();
        const sentByMe = message.senderId === currentUserId;
        showMessageInList(queryClient, message, { countAsUnread: !sentByMe && !viewing, sentByMe, fetchIfMissing: true });
      }),
      socket.on('message:updated', ({ message }) => {
        store(message);
        updateLastMessagePreview(queryClient, message.conversationId, message.id, message.content, message.deletedAt !== null);
      }),
      socket.on('message:deleted', ({ conversationId, messageId, seq, deletedAt }) => {
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
      socket.on('receipt:count', (event) => recordReadCount(queryClient, event)),
      // A conversation the user lost: its timeline goes too (the conversations feature handles the rest).
      socket.on('conversation:removed', ({ conversationId }) => forgetTimeline(queryClient, conversationId)),
      socket.onResync(() => void catchUp(queryClient, socket).catch(() => undefined)),
    ];
    return () => {
      for (const off of offs) off();
    };
  }, [socket, queryClient, currentUserId]);
}
