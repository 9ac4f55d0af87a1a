import { type QueryClient, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo } from 'react';
import { useSocket } from '../../../hooks/use-socket';
import { type ChatSocketService, SEND_TIMEOUT_MS } from '../../../lib/socket';
import { useAuth } from '../../auth';
import { showMessageInList } from '../../conversations';
import { messageKeys } from '../api/message-keys';
import { messagesApi } from '../api/messages-api';
import { contiguousSeq, hasHole, sendMovedMarker } from '../lib/message-cache';
import { Outbox, toPendingMessage, toSendPayload } from '../lib/outbox';
import { OutboxSender } from '../lib/outbox-sender';
import { cachedTimeline, cachedTimelineIds, fillGap, recordThreadSummary, setPendingStatus, showUnsentMessages, storeMessages } from '../lib/timeline-store';

/** One sender per signed-in account, shared by every composer and the delivery wiring. */
const senders = new Map<string, OutboxSender>();

function createSender(userId: string, socket: ChatSocketService, queryClient: QueryClient): OutboxSender {
  const readUpToSeq = (conversationId: string) => contiguousSeq(cachedTimeline(queryClient, conversationId));
  // What each send claimed to hold: the server moved our marker by that, not by what the timeline
  // holds when the ack arrives (a catch-up running beside the resend may have filled it meanwhile).
  const claimed = new Map<string, number>();
  return new OutboxSender(new Outbox(userId), {
    send: async (entry) => {
      const held = readUpToSeq(entry.conversationId);
      const payload = toSendPayload(entry, held);
      claimed.set(entry.clientMessageId, held);
      if (socket.isReady) {
        const { message, rootThread } = await socket.sendMessage({ conversationId: entry.conversationId, ...payload });
        // Over HTTP the root's new summary comes with the next catch-up instead.
        if (rootThread && message.threadRootId)
          recordThreadSummary(queryClient, { conversationId: message.conversationId, rootId: message.threadRootId, thread: rootThread });
        return message;
      }
      return messagesApi.send(entry.conversationId, payload, AbortSignal.timeout(SEND_TIMEOUT_MS));
    },
    onStored: (message) => {
      storeMessages(queryClient, message.conversationId, [message]);
      // A reply is not in the main list: it leaves the sidebar's preview and the read marker alone.
      if (message.threadRootId) return;
      // A held message stored after a reconnect may sit far above what this timeline holds: the
      // server left what lies below it unread (readUpToSeq), and so does the badge until it is read.
      const timeline = cachedTimeline(queryClient, message.conversationId);
      const held = claimed.get(message.clientMessageId);
      claimed.delete(message.clientMessageId);
      const behind = !timeline || hasHole(timeline) || !sendMovedMarker(held, message.seq);
      showMessageInList(queryClient, message, { countAsUnread: false, sentByMe: !behind });
      if (timeline && behind) void fillGap(queryClient, message.conversationId).catch(() => undefined);
    },
    onFailed: (entry, failure) => setPendingStatus(queryClient, entry, { status: 'failed', failure }),
    onSending: (entry) => setPendingStatus(queryClient, entry, { status: 'sending' }),
  });
}

/** The signed-in account's outbox sender (null while signed out). */
export function useOutbox(): OutboxSender | null {
  const { user } = useAuth();
  const socket = useSocket();
  const queryClient = useQueryClient();
  const userId = user?.id;
  return useMemo(() => {
    if (!userId) return null;
    let sender = senders.get(userId);
    if (!sender) {
      sender = createSender(userId, socket, queryClient);
      senders.set(userId, sender);
    }
    return sender;
  }, [userId, socket, queryClient]);
}

/**
 * Keeps the outbox moving for the whole signed-in app: shows unsent messages in their timelines
 * (also after a reload), and sends them as soon as the connection is back. Mounted once.
 */
export function useOutboxDelivery(): void {
  const sender = useOutbox();
  const socket = useSocket();
  const queryClient = useQueryClient();

  useEffect(() => {
    if (!sender) return;
    const { outbox } = sender;
    const showPending = (conversationId: string) => {
      const pending = outbox.list(conversationId).map((entry) => {
        const failure = sender.failureOf(entry.clientMessageId);
        return toPendingMessage(entry, failure ? 'failed' : 'sending', failure);
      });
      showUnsentMessages(queryClient, conversationId, pending);
    };
    const lists = messageKeys.lists();
    const offCache = queryClient.getQueryCache().subscribe((event) => {
      if (event.type !== 'updated' || event.action.type !== 'success') return;
      const key = event.query.queryKey as readonly unknown[];
      if (key.length !== lists.length + 1 || !lists.every((part, index) => key[index] === part)) return;
      const conversationId = key[lists.length];
      if (typeof conversationId === 'string' && conversationId) showPending(conversationId);
    });
    for (const conversationId of cachedTimelineIds(queryClient)) showPending(conversationId);

    sender.start();
    const kick = () => sender.kick();
    const offResync = socket.onResync(kick);
    const offStatus = socket.onStatusChange((status) => {
      if (status === 'connected') kick();
    });
    window.addEventListener('online', kick);
    kick();
    return () => {
      offCache();
      offResync();
      offStatus();
      window.removeEventListener('online', kick);
      // Signed out (or another account): this account's messages wait in its own storage.
      sender.stop();
    };
  }, [sender, socket, queryClient]);
}
