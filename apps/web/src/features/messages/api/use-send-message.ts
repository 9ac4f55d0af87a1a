import type { Mentions, UploadedFile } from '@chat/shared';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { uuid } from '../../../lib/uuid';
import { useAuth } from '../../auth';
import { useOutbox } from '../hooks/use-outbox';
import { hasMentions } from '../lib/mentions';
import type { ChatMessage } from '../lib/message-cache';
import { type OutboxEntry, toOutboxEntry, toPendingMessage } from '../lib/outbox';
import { dropPendingMessage, showPendingMessage } from '../lib/timeline-store';

/**
 * Sends messages of one conversation through the account's outbox: a message shows at once as
 * "sending", is kept in the browser until the server confirms it (a reload or a lost connection
 * does not lose it), goes out in the order written, and turns "delivered" with the server's copy.
 * A refused one shows "failed" with `retry` and `discard`. Files are uploaded before: the message
 * carries the upload answers (shown at once) and goes out with their ids. With `threadRootId` the
 * messages are replies in that thread (held in the same timeline, shown in the thread panel).
 */
export function useSendMessage(conversationId: string, threadRootId?: string) {
  const queryClient = useQueryClient();
  const { user } = useAuth();
  const sender = useOutbox();

  const send = useCallback(
    (content: string, attachments: readonly UploadedFile[] = [], mentions?: Mentions) => {
      if (!user || !sender) return;
      const entry: OutboxEntry = {
        clientMessageId: uuid(),
        conversationId,
        content,
        senderId: user.id,
        senderName: user.displayName,
        createdAt: new Date().toISOString(),
        ...(attachments.length > 0 ? { attachments: [...attachments] } : {}),
        ...(hasMentions(mentions) ? { mentions } : {}),
        ...(threadRootId ? { threadRootId } : {}),
      };
      showPendingMessage(queryClient, toPendingMessage(entry));
      sender.enqueue(entry);
    },
    [user, sender, conversationId, threadRootId, queryClient],
  );

  /** Sends a failed message again, in its place among the unsent ones (by when it was written). */
  const retry = useCallback((message: ChatMessage) => sender?.retry(toOutboxEntry(message)), [sender]);

  /** Deletes an unsent message: from the outbox and from the timeline. */
  const discard = useCallback(
    (message: ChatMessage) => {
      sender?.discard(message.clientMessageId);
      dropPendingMessage(queryClient, message);
    },
    [sender, queryClient],
  );

  return { send, retry, discard };
}
