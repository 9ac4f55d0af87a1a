import { useMutation, useQueryClient } from '@tanstack/react-query';
import { storeMessages } from '../hooks/use-realtime-sync';
import { type MessagePages, patchMessage } from '../lib/message-cache';
import { messageKeys } from './message-keys';
import { messagesApi } from './messages-api';

export function useEditMessage(conversationId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ messageId, content }: { messageId: string; content: string }) => messagesApi.edit(conversationId, messageId, content),
    onSuccess: (message) => storeMessages(queryClient, conversationId, [message]),
  });
}

export function useDeleteMessage(conversationId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (messageId: string) => messagesApi.remove(conversationId, messageId),
    onSuccess: (_result, messageId) => {
      const deletedAt = new Date().toISOString();
      // The 'message:deleted' event brings the server's time; this shows it at once meanwhile.
      queryClient.setQueryData<MessagePages>(messageKeys.list(conversationId), (data) =>
        patchMessage(
          data,
          (message) => message.id === messageId,
          (message) => (message.deletedAt ? message : { ...message, content: '', deletedAt }),
        ),
      );
    },
  });
}
