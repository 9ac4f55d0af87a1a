import type { Conversation } from '@chat/shared';
import { useInfiniteQuery } from '@tanstack/react-query';
import { type ConversationPages, flattenConversationPages } from '../lib/conversation-cache';
import { conversationKeys } from './conversation-keys';
import { conversationsApi } from './conversations-api';

const selectConversations = (data: ConversationPages): Conversation[] => flattenConversationPages(data);

/**
 * The signed-in user's conversations, newest activity first, a page at a time. Socket events keep it
 * current (use-realtime-sync) and it is fetched again after every reconnect or wake: no polling.
 */
export function useConversations() {
  return useInfiniteQuery({
    queryKey: conversationKeys.list(),
    queryFn: ({ pageParam, signal }) => conversationsApi.list({ cursor: pageParam, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => (lastPage.hasMore ? lastPage.nextCursor : null),
    select: selectConversations,
    staleTime: 10_000,
    refetchOnWindowFocus: true,
  });
}
