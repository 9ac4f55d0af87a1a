import { useMutation, useQueryClient } from '@tanstack/react-query';
import { showDeletedAtOnce, storeMessages } from '../lib/timeline-store';
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
    onSuccess: (_result, messageId) => showDeletedAtOnce(queryClient, conversationId, messageId),
  });
}
