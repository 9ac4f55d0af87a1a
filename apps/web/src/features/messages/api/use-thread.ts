import { infiniteQueryOptions, useInfiniteQuery, useMutation } from '@tanstack/react-query';
import { messageKeys } from './message-keys';
import { messagesApi } from './messages-api';

/**
 * A thread as the server has it when the panel opens: its root and replies, oldest first, more on
 * demand (`afterSeq`). Replies that arrive later (live, sent here, caught up) land in the
 * conversation's timeline, which the panel merges in.
 */
export const threadOptions = (conversationId: string, rootId: string) =>
  infiniteQueryOptions({
    queryKey: messageKeys.thread(conversationId, rootId),
    queryFn: ({ pageParam, signal }) => messagesApi.replies(conversationId, rootId, { afterSeq: pageParam, signal }),
    initialPageParam: 0,
    getNextPageParam: (last) => (last.hasMore ? last.replies.at(-1)?.seq : undefined),
    staleTime: 30_000,
  });

export function useThread(conversationId: string, rootId: string) {
  return useInfiniteQuery(threadOptions(conversationId, rootId));
}

/** Moves the reader's thread marker (the server keeps the furthest; their other devices get `thread:read`). */
export function useMarkThreadRead(conversationId: string, rootId: string) {
  return useMutation({ mutationFn: (seq: number) => messagesApi.markThreadRead(conversationId, rootId, seq) });
}
