import type { Message } from '@chat/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { useSocket } from '../../../hooks/use-socket';
import { SEND_TIMEOUT_MS } from '../../../lib/socket';
import { uuid } from '../../../lib/uuid';
import { useAuth } from '../../auth';
import { applyMessageToPages, type ConversationPages, conversationKeys } from '../../conversations';
import { storeMessages } from '../hooks/use-realtime-sync';
import { addPendingMessage, type ChatMessage, type MessagePages, patchMessage } from '../lib/message-cache';
import { toSendFailure } from '../lib/send-errors';
import { messageKeys } from './message-keys';
import { messagesApi } from './messages-api';

interface SendVariables {
  content: string;
  /** Made once per message; a retry reuses it so the server stores the message only once. */
  clientMessageId: string;
}

/**
 * Sends messages of one conversation with optimistic updates: the message shows at once as
 * "sending", turns "delivered" with the server's copy on the ack, or "failed" (error or 10 s
 * without an answer) with `retry` available. Over the socket when connected, else over HTTP.
 */
export function useSendMessage(conversationId: string) {
  const queryClient = useQueryClient();
  const socket = useSocket();
  const { user } = useAuth();
  const key = messageKeys.list(conversationId);

  const mutation = useMutation<Message, unknown, SendVariables>({
    mutationFn: async ({ content, clientMessageId }) => {
      if (socket.isReady) return (await socket.sendMessage({ conversationId, content, clientMessageId, contentType: 'text' })).message;
      return messagesApi.send(conversationId, { content, clientMessageId, contentType: 'text' }, AbortSignal.timeout(SEND_TIMEOUT_MS));
    },
    onMutate: ({ content, clientMessageId }) => {
      if (!user) return;
      const now = new Date().toISOString();
      const optimistic: ChatMessage = {
        id: clientMessageId,
        conversationId,
        seq: 0,
        senderId: user.id,
        sender: { id: user.id, displayName: user.displayName },
        content,
        contentType: 'text',
        system: null,
        clientMessageId,
        createdAt: now,
        updatedAt: now,
        editedAt: null,
        deletedAt: null,
        status: 'sending',
      };
      queryClient.setQueryData<MessagePages>(key, (data) => addPendingMessage(data, optimistic));
    },
    onSuccess: (message) => {
      storeMessages(queryClient, conversationId, [message]);
      queryClient.setQueryData<ConversationPages>(conversationKeys.list(), (data) => applyMessageToPages(data, message, { countAsUnread: false, sentByMe: true }));
    },
    onError: (error, { clientMessageId }) => {
      const failure = toSendFailure(error);
      queryClient.setQueryData<MessagePages>(key, (data) =>
        patchMessage(
          data,
          (message) => message.clientMessageId === clientMessageId && message.status !== 'delivered',
          (message) => ({ ...message, status: 'failed', failure }),
        ),
      );
    },
  });

  const { mutate } = mutation;
  const send = useCallback((content: string) => mutate({ content, clientMessageId: uuid() }), [mutate]);
  const retry = useCallback((message: ChatMessage) => mutate({ content: message.content, clientMessageId: message.clientMessageId }), [mutate]);
  return { send, retry };
}
