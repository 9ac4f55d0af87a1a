import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { type ChatMessagePage, flattenMessagePages, lowestSeq, type MessagePages, toChatMessage } from '../lib/message-cache';
import { messageKeys } from './message-keys';
import { messagesApi } from './messages-api';

/**
 * One conversation's timeline: the latest page first, older pages (`beforeSeq`) on demand. Socket
 * events and the catch-up protocol keep it current, so it never goes stale on its own: a refetch
 * would throw away optimistic messages and is not needed.
 */
export const messageTimelineOptions = (conversationId: string) =>
  infiniteQueryOptions({
    queryKey: messageKeys.list(conversationId),
    queryFn: async ({ pageParam, signal }): Promise<ChatMessagePage> => {
      const page = await messagesApi.history(conversationId, { beforeSeq: pageParam ?? undefined, signal });
      return { ...page, messages: page.messages.map(toChatMessage) };
    },
    initialPageParam: null as number | null,
    getNextPageParam: (lastPage, allPages) => {
      if (!lastPage.hasMore) return undefined;
      return lowestSeq({ pages: allPages }) ?? undefined;
    },
    staleTime: Infinity,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
  });

const selectMessages = (data: MessagePages) => flattenMessagePages(data);

export function useMessages(conversationId: string | undefined) {
  return useInfiniteQuery({ ...messageTimelineOptions(conversationId ?? ''), enabled: Boolean(conversationId), select: selectMessages });
}

/** Opening a busy conversation loads back at most this many messages to reach its first unread one. */
export const OPEN_AT_UNREAD_MAX = 500;

/**
 * Loads older pages until the first unread message (the one after `readUpToSeq`) is in, at most
 * OPEN_AT_UNREAD_MAX messages back, so the conversation can open there. Returns true once that is
 * done (or there was nothing to load) and stays true: later pages load only as the reader scrolls up.
 */
export function useLoadToFirstUnread(timeline: ReturnType<typeof useMessages>, readUpToSeq: number, hasUnread: boolean): boolean {
  const [done, setDone] = useState(false);
  const { data, status, hasNextPage, isFetchingNextPage, isFetchNextPageError, fetchNextPage } = timeline;
  const oldestSeq = data?.find((message) => message.status === 'delivered')?.seq ?? 0;
  const needsOlder = hasUnread && hasNextPage && oldestSeq > readUpToSeq + 1 && (data?.length ?? 0) < OPEN_AT_UNREAD_MAX;

  useEffect(() => {
    if (done || status === 'pending') return;
    if (status === 'error' || isFetchNextPageError || !needsOlder) setDone(true);
    else if (!isFetchingNextPage) void fetchNextPage();
  }, [done, status, needsOlder, isFetchingNextPage, isFetchNextPageError, fetchNextPage]);

  return done;
}
