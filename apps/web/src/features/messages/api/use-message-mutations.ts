import type { Mentions } from '@chat/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { showDeletedAtOnce, storeMessages } from '../lib/timeline-store';
import { messagesApi } from './messages-api';

export function useEditMessage(conversationId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ messageId, content, mentions }: { messageId: string; content: string; mentions?: Mentions }) =>
      messagesApi.edit(conversationId, messageId, content, mentions),
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
