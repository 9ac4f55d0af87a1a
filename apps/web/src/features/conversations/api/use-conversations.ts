import type { Conversation } from '@chat/shared';
import { useInfiniteQuery } from '@tanstack/react-query';
import { type ConversationPages, flattenConversationPages } from '../lib/conversation-cache';
import { conversationKeys } from './conversation-keys';
import { conversationsApi } from './conversations-api';

/** Until socket events push changes, polling keeps unread counts and new chats reasonably fresh. */
export const CONVERSATION_LIST_REFRESH_MS = 15_000;

const selectConversations = (data: ConversationPages): Conversation[] => flattenConversationPages(data);

/** The signed-in user's conversations, newest activity first, a page at a time. */
export function useConversations() {
  return useInfiniteQuery({
    queryKey: conversationKeys.list(),
    queryFn: ({ pageParam, signal }) => conversationsApi.list({ cursor: pageParam, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => (lastPage.hasMore ? lastPage.nextCursor : null),
    select: selectConversations,
    staleTime: 10_000,
    refetchInterval: CONVERSATION_LIST_REFRESH_MS,
    refetchOnWindowFocus: true,
  });
}
