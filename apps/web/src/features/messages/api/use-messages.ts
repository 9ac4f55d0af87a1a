import { type InfiniteData, infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { type ChatMessagePage, contiguousSeq, flattenMessagePages, lowestSeq, type MessagePages, toChatMessage } from '../lib/message-cache';
import { messageKeys } from './message-keys';
import { messagesApi } from './messages-api';

/** null: the latest page; a number: older history (beforeSeq); the others: a jump and the way back to the live end. */
type TimelinePageParam = number | null | { aroundSeq: number } | { afterSeq: number; syncedAt: string };

async function fetchTimelinePage(conversationId: string, param: TimelinePageParam, signal: AbortSignal): Promise<ChatMessagePage> {
  if (param !== null && typeof param === 'object') {
    if ('aroundSeq' in param) {
      const { hasMoreAfter, ...page } = await messagesApi.history(conversationId, { aroundSeq: param.aroundSeq, signal });
      return { ...page, messages: page.messages.map(toChatMessage), hasNewer: hasMoreAfter ?? false };
    }
    const { hasMoreAfter: _, ...page } = await messagesApi.history(conversationId, { afterSeq: param.afterSeq, signal });
    const messages = page.messages.map(toChatMessage);
    return {
      ...page,
      messages,
      // Its hasMore is about newer messages; older ones exist below it whenever it does not start at 1.
      hasMore: (messages[0]?.seq ?? 1) > 1,
      hasNewer: page.hasMore,
      // Becoming the first page, it carries the sync point of the page it joins, so a catch-up still asks for edits since then.
      syncedAt: param.syncedAt,
    };
  }
  const page = await messagesApi.history(conversationId, { beforeSeq: param ?? undefined, signal });
  return { ...page, messages: page.messages.map(toChatMessage) };
}

/**
 * One conversation's timeline: the latest page first, older pages (`beforeSeq`) on demand. Socket
 * events and the catch-up protocol keep it current, so it never goes stale on its own: a refetch
 * would throw away optimistic messages and is not needed. With `aroundSeq` (used only when the
 * timeline is not cached yet) it starts at the page around that message instead and loads newer
 * pages (`afterSeq`) on demand until it reaches the live end.
 */
export const messageTimelineOptions = (conversationId: string, aroundSeq?: number) => {
  const initialPageParam: TimelinePageParam = aroundSeq === undefined ? null : { aroundSeq };
  return infiniteQueryOptions<ChatMessagePage, Error, InfiniteData<ChatMessagePage, TimelinePageParam>, ReturnType<typeof messageKeys.list>, TimelinePageParam>(
    {
      queryKey: messageKeys.list(conversationId),
      queryFn: ({ pageParam, signal }) => fetchTimelinePage(conversationId, pageParam, signal),
      initialPageParam,
      getNextPageParam: (lastPage, allPages): TimelinePageParam | undefined => {
        if (!lastPage.hasMore) return undefined;
        return lowestSeq({ pages: allPages }) ?? undefined;
      },
      getPreviousPageParam: (firstPage, allPages): TimelinePageParam | undefined => {
        if (!firstPage.hasNewer) return undefined;
        // A live message, a gap fill or a catch-up may have joined the live end meanwhile.
        const held = contiguousSeq({ pages: allPages });
        return held < firstPage.lastSeq ? { afterSeq: held, syncedAt: firstPage.syncedAt } : undefined;
      },
      staleTime: Infinity,
      refetchOnWindowFocus: false,
      refetchOnReconnect: false,
    },
  );
};

const selectMessages = (data: MessagePages) => flattenMessagePages(data);

export function useMessages(conversationId: string | undefined, aroundSeq?: number) {
  return useInfiniteQuery({ ...messageTimelineOptions(conversationId ?? '', aroundSeq), enabled: Boolean(conversationId), select: selectMessages });
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

/** Opening a conversation at an old message loads back at most this many messages to reach it. */
export const OPEN_AT_MESSAGE_MAX = 2_000;

/**
 * Loads older pages until the message at `seq` is in, at most OPEN_AT_MESSAGE_MAX messages back.
 * True at once when it is loaded already (or no seq is asked for), so a view showing it is not
 * swapped for a spinner; once done for a seq it stays true for it.
 */
export function useLoadToSeq(timeline: ReturnType<typeof useMessages>, seq: number | undefined): boolean {
  const [doneFor, setDoneFor] = useState<number | undefined>(undefined);
  const { data, status, hasNextPage, isFetchingNextPage, isFetchNextPageError, fetchNextPage } = timeline;
  const oldestSeq = data?.find((message) => message.status === 'delivered')?.seq ?? 0;
  const needsOlder = seq !== undefined && hasNextPage && oldestSeq > seq && (data?.length ?? 0) < OPEN_AT_MESSAGE_MAX;
  const settled = status === 'error' || (status === 'success' && (isFetchNextPageError || !needsOlder));
  const done = seq === undefined || doneFor === seq || settled;

  useEffect(() => {
    if (done) {
      if (seq !== undefined && doneFor !== seq && settled) setDoneFor(seq);
      return;
    }
    if (status === 'success' && !isFetchingNextPage) void fetchNextPage();
  }, [done, settled, seq, doneFor, status, isFetchingNextPage, fetchNextPage]);

  return done;
}
