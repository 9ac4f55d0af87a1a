import type { MessagePage } from '@chat/shared';
import { InfiniteQueryObserver, QueryClient } from '@tanstack/react-query';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { flattenMessagePages, type MessagePages } from '../lib/message-cache';
import { CONVERSATION, makeMessage as message } from '../lib/message-fixtures';
import { messageTimelineOptions, messageWindowOptions } from './use-messages';

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => message(from + index));
const LAST_SEQ = 300;

/** The server's history endpoint over messages 1..LAST_SEQ, pages of 10. */
function serveHistory(requests: URLSearchParams[]) {
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) => {
      const params = new URL(url, 'http://localhost').searchParams;
      requests.push(params);
      const around = params.get('aroundSeq');
      const after = params.get('afterSeq');
      const before = params.get('beforeSeq');
      let page: MessagePage;
      const base = { updates: [], lastSeq: LAST_SEQ, syncedAt: `2025-05-14T12:00:0${requests.length}.000Z` };
      if (around) {
        const seq = Number(around);
        page = { ...base, messages: range(seq - 5, seq + 4), hasMore: seq - 5 > 1, hasMoreAfter: seq + 4 < LAST_SEQ };
      } else if (after) {
        const seq = Number(after);
        const to = Math.min(LAST_SEQ, seq + 10);
        page = { ...base, messages: range(seq + 1, to), hasMore: to < LAST_SEQ };
      } else if (before) {
        const seq = Number(before);
        page = { ...base, messages: range(Math.max(1, seq - 10), seq - 1), hasMore: seq - 10 > 1 };
      } else page = { ...base, messages: range(LAST_SEQ - 9, LAST_SEQ), hasMore: true };
      return new Response(JSON.stringify(page), { status: 200, headers: { 'Content-Type': 'application/json' } });
    }),
  );
}

const seqs = (data: MessagePages | undefined) => flattenMessagePages(data).map((item) => item.seq);

describe('messageTimelineOptions', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('starts at the latest page and only loads older pages', async () => {
    const requests: URLSearchParams[] = [];
    serveHistory(requests);
    const queryClient = new QueryClient();
    const observer = new InfiniteQueryObserver(queryClient, messageTimelineOptions(CONVERSATION));
    await observer.refetch();
    const result = observer.getCurrentResult();
    expect(seqs(result.data)).toEqual(range(291, 300).map((item) => item.seq));
    expect(result.hasPreviousPage).toBe(false);
    expect(result.hasNextPage).toBe(true);
    expect(requests[0]?.has('aroundSeq')).toBe(false);
    const older = await observer.fetchNextPage();
    expect(requests[1]?.get('beforeSeq')).toBe('291');
    expect(seqs(older.data)[0]).toBe(281);
  });
});

describe('messageWindowOptions', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('opens around a message, apart from the timeline, and loads older pages by beforeSeq and newer ones by afterSeq', async () => {
    const requests: URLSearchParams[] = [];
    serveHistory(requests);
    const queryClient = new QueryClient();
    expect(messageWindowOptions(CONVERSATION, 100).queryKey).not.toEqual(messageTimelineOptions(CONVERSATION).queryKey);
    const observer = new InfiniteQueryObserver(queryClient, messageWindowOptions(CONVERSATION, 100));
    const unsubscribe = observer.subscribe(() => undefined);
    await observer.refetch();
    const first = observer.getCurrentResult();
    expect(requests[0]?.get('aroundSeq')).toBe('100');
    expect(seqs(first.data)).toEqual(range(95, 104).map((item) => item.seq));
    expect(first.hasNextPage).toBe(true);
    expect(first.hasPreviousPage).toBe(true);

    const older = await observer.fetchNextPage();
    expect(requests[1]?.get('beforeSeq')).toBe('95');
    expect(seqs(older.data)[0]).toBe(85);

    const newer = await observer.fetchPreviousPage();
    expect(requests[2]?.get('afterSeq')).toBe('104');
    expect(seqs(newer.data)).toEqual(range(85, 114).map((item) => item.seq));
    expect(newer.data?.pages[0]?.messages[0]?.seq).toBe(105);
    expect(newer.hasPreviousPage).toBe(true);
    // The timeline was never touched.
    expect(queryClient.getQueryData(messageTimelineOptions(CONVERSATION).queryKey)).toBeUndefined();
    unsubscribe();
  });

  it('stops loading newer pages once they reach the live end', async () => {
    const requests: URLSearchParams[] = [];
    serveHistory(requests);
    const queryClient = new QueryClient();
    const observer = new InfiniteQueryObserver(queryClient, messageWindowOptions(CONVERSATION, 285));
    const unsubscribe = observer.subscribe(() => undefined);
    await observer.refetch();
    expect(seqs(observer.getCurrentResult().data).at(-1)).toBe(289);
    const newer = await observer.fetchPreviousPage();
    expect(seqs(newer.data).at(-1)).toBe(299);
    expect(newer.hasPreviousPage).toBe(true);
    const last = await observer.fetchPreviousPage();
    expect(seqs(last.data).at(-1)).toBe(300);
    expect(last.hasPreviousPage).toBe(false);
    unsubscribe();
  });

  it('is dropped once nothing shows it', async () => {
    vi.useFakeTimers();
    try {
      serveHistory([]);
      const queryClient = new QueryClient();
      const options = messageWindowOptions(CONVERSATION, 100);
      const observer = new InfiniteQueryObserver(queryClient, options);
      const unsubscribe = observer.subscribe(() => undefined);
      await vi.waitFor(() => expect(queryClient.getQueryData(options.queryKey)).toBeDefined());
      unsubscribe();
      // A timeline would stay cached for minutes; a window goes at once.
      await vi.advanceTimersByTimeAsync(1_000);
      expect(queryClient.getQueryCache().find({ queryKey: options.queryKey })).toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
  });
});
