import { type InfiniteData, infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { type ChatMessage, type ChatMessagePage, flattenMessagePages, highestSeq, lowestSeq, type MessagePages, toChatMessage } from '../lib/message-cache';
import { messageKeys } from './message-keys';
import { messagesApi } from './messages-api';

/** null: the latest page; a number: older history (beforeSeq); the others: a window's first page and its newer pages. */
type TimelinePageParam = number | null | { aroundSeq: number } | { afterSeq: number };

async function fetchTimelinePage(conversationId: string, param: TimelinePageParam, signal: AbortSignal): Promise<ChatMessagePage> {
  if (param !== null && typeof param === 'object') {
    if ('aroundSeq' in param) {
      const { hasMoreAfter, ...page } = await messagesApi.history(conversationId, { aroundSeq: param.aroundSeq, signal });
      return { ...page, messages: page.messages.map(toChatMessage), hasNewer: hasMoreAfter ?? false };
    }
    const { hasMoreAfter: _, ...page } = await messagesApi.history(conversationId, { afterSeq: param.afterSeq, signal });
    const messages = page.messages.map(toChatMessage);
    // Its hasMore is about newer messages; older ones exist below it whenever it does not start at 1.
    return { ...page, messages, hasMore: (messages[0]?.seq ?? 1) > 1, hasNewer: page.hasMore };
  }
  const page = await messagesApi.history(conversationId, { beforeSeq: param ?? undefined, signal });
  return { ...page, messages: page.messages.map(toChatMessage) };
}

const olderPageParam = (lastPage: ChatMessagePage, allPages: ChatMessagePage[]): TimelinePageParam | undefined =>
  lastPage.hasMore ? (lowestSeq({ pages: allPages }) ?? undefined) : undefined;

/**
 * One conversation's timeline: the latest page first, older pages (`beforeSeq`) on demand. Socket
 * events and the catch-up protocol keep it current, so it never goes stale on its own: a refetch
 * would throw away optimistic messages and is not needed.
 */
export const messageTimelineOptions = (conversationId: string) =>
  infiniteQueryOptions<ChatMessagePage, Error, InfiniteData<ChatMessagePage, TimelinePageParam>, ReturnType<typeof messageKeys.list>, TimelinePageParam>({
    queryKey: messageKeys.list(conversationId),
    queryFn: ({ pageParam, signal }) => fetchTimelinePage(conversationId, pageParam, signal),
    initialPageParam: null,
    getNextPageParam: olderPageParam,
    staleTime: Infinity,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
  });

/**
 * A jump: the history around an old message (`aroundSeq`), with older pages (`beforeSeq`) and newer
 * ones (`afterSeq`) on demand. It is only read: live messages, pending ones and the catch-up stay
 * with the timeline, which keeps its place meanwhile. The window's held messages get edits and
 * deletes (timeline-store), and once it reaches the timeline's oldest message it joins it.
 * Nobody shows a window after leaving it, so it is dropped as soon as it is unobserved.
 */
export const messageWindowOptions = (conversationId: string, aroundSeq: number) =>
  infiniteQueryOptions<ChatMessagePage, Error, InfiniteData<ChatMessagePage, TimelinePageParam>, ReturnType<typeof messageKeys.window>, TimelinePageParam>({
    queryKey: messageKeys.window(conversationId, aroundSeq),
    queryFn: ({ pageParam, signal }) => fetchTimelinePage(conversationId, pageParam, signal),
    initialPageParam: { aroundSeq },
    getNextPageParam: olderPageParam,
    getPreviousPageParam: (firstPage, allPages) => (firstPage.hasNewer ? { afterSeq: highestSeq({ pages: allPages }) } : undefined),
    staleTime: Infinity,
    gcTime: 0,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
  });

const selectMessages = (data: MessagePages) => flattenMessagePages(data);

export function useMessages(conversationId: string | undefined) {
  return useInfiniteQuery({ ...messageTimelineOptions(conversationId ?? ''), enabled: Boolean(conversationId), select: selectMessages });
}

export interface MessageWindow {
  messages: ChatMessage[];
  /** The conversation's newest seq when the window was first read: anything above it arrived since. */
  readAtSeq: number;
}

const selectWindow = (data: MessagePages): MessageWindow => ({
  messages: flattenMessagePages(data),
  readAtSeq: Math.min(...data.pages.map((page) => page.lastSeq)),
});

/** The window around `aroundSeq`; idle without one. */
export function useMessageWindow(conversationId: string, aroundSeq: number | undefined) {
  return useInfiniteQuery({ ...messageWindowOptions(conversationId, aroundSeq ?? 0), enabled: aroundSeq !== undefined, select: selectWindow });
}

/** What the loading hooks below need of a timeline or a window. */
export interface LoadableHistory {
  messages: readonly ChatMessage[] | undefined;
  status: 'pending' | 'error' | 'success';
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  isFetchNextPageError: boolean;
  fetchNextPage: () => Promise<unknown>;
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

/**
 * Loads older pages until the message at `seq` is in. Only asked for when it is a page or two
 * away (planFocus); a message further back is jumped to instead. True at once when it is loaded
 * already (or no seq is asked for), so a view showing it is not swapped for a spinner; once done
 * for a seq it stays true for it.
 */
export function useLoadToSeq(history: LoadableHistory, seq: number | undefined): boolean {
  const [doneFor, setDoneFor] = useState<number | undefined>(undefined);
  const { messages, status, hasNextPage, isFetchingNextPage, isFetchNextPageError, fetchNextPage } = history;
  const oldestSeq = messages?.find((message) => message.status === 'delivered')?.seq ?? 0;
  const needsOlder = seq !== undefined && hasNextPage && oldestSeq > seq;
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
