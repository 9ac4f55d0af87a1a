import type { Conversation } from '@chat/shared';
import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import { type ConversationPages, flattenConversationPages } from '../lib/conversation-cache';
import { conversationKeys } from './conversation-keys';
import { conversationsApi } from './conversations-api';

/**
 * The signed-in user's conversations, newest activity first, a page at a time. Socket events keep it
 * current (use-conversation-realtime) and it is fetched again after every reconnect or wake: no polling.
 */
export const conversationListOptions = () =>
  infiniteQueryOptions({
    queryKey: conversationKeys.list(),
    queryFn: ({ pageParam, signal }) => conversationsApi.list({ cursor: pageParam, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => (lastPage.hasMore ? lastPage.nextCursor : null),
    staleTime: 10_000,
    refetchOnWindowFocus: true,
  });

const selectConversations = (data: ConversationPages): Conversation[] => flattenConversationPages(data);

export function useConversations() {
  return useInfiniteQuery({ ...conversationListOptions(), select: selectConversations });
}
