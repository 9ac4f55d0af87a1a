import { useInfiniteQuery } from '@tanstack/react-query';
import { type ChatMessagePage, flattenMessagePages, lowestSeq, type MessagePages, toChatMessage } from '../lib/message-cache';
import { messageKeys } from './message-keys';
import { messagesApi } from './messages-api';

const selectMessages = (data: MessagePages) => flattenMessagePages(data);

/**
 * One conversation's timeline: the latest page first, older pages (`beforeSeq`) on demand. Socket
 * events and the catch-up protocol keep it current, so it never goes stale on its own: a refetch
 * would throw away optimistic messages and is not needed.
 */
export function useMessages(conversationId: string | undefined) {
  return useInfiniteQuery<ChatMessagePage, Error, ReturnType<typeof selectMessages>, ReturnType<typeof messageKeys.list>, number | null>({
    queryKey: messageKeys.list(conversationId ?? ''),
    queryFn: async ({ pageParam, signal }) => {
      const page = await messagesApi.history(conversationId ?? '', { beforeSeq: pageParam ?? undefined, signal });
      return { ...page, messages: page.messages.map(toChatMessage) };
    },
    initialPageParam: null,
    getNextPageParam: (lastPage, allPages) => {
      if (!lastPage.hasMore) return undefined;
      return lowestSeq({ pages: allPages }) ?? undefined;
    },
    enabled: Boolean(conversationId),
    select: selectMessages,
    staleTime: Infinity,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
  });
}
