import { queryOptions, useMutation, useQuery } from '@tanstack/react-query';
import { messageKeys } from './message-keys';
import { messagesApi } from './messages-api';

/**
 * A thread as the server has it when the panel opens: its root and replies. Replies that arrive
 * later (live, sent here, caught up) land in the conversation's timeline, which the panel merges in.
 */
export const threadOptions = (conversationId: string, rootId: string) =>
  queryOptions({
    queryKey: messageKeys.thread(conversationId, rootId),
    queryFn: ({ signal }) => messagesApi.replies(conversationId, rootId, { signal }),
    staleTime: 30_000,
  });

export function useThread(conversationId: string, rootId: string) {
  return useQuery(threadOptions(conversationId, rootId));
}

/** Moves the reader's thread marker (the server keeps the furthest; their other devices get `thread:read`). */
export function useMarkThreadRead(conversationId: string, rootId: string) {
  return useMutation({ mutationFn: (seq: number) => messagesApi.markThreadRead(conversationId, rootId, seq) });
}
