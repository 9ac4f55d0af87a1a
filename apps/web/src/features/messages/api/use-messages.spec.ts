import type { Message, MessagePage } from '@chat/shared';
import { InfiniteQueryObserver, QueryClient } from '@tanstack/react-query';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { flattenMessagePages, type MessagePages } from '../lib/message-cache';
import { messageTimelineOptions } from './use-messages';

const CONVERSATION = '00000000-0000-4000-8000-00000000c0c0';
const SENDER = '00000000-0000-4000-8000-0000000000b1';
const idOf = (prefix: string, n: number) => `00000000-0000-4000-8000-${prefix}${String(n).padStart(12 - prefix.length, '0')}`;

function message(seq: number): Message {
  const at = new Date(Date.UTC(2025, 4, 14, 12, 0, seq)).toISOString();
  return {
    id: idOf('1', seq),
    conversationId: CONVERSATION,
    seq,
    senderId: SENDER,
    sender: { id: SENDER, displayName: 'B' },
    content: `message ${seq}`,
    contentType: 'text',
    system: null,
    clientMessageId: idOf('2', seq),
    createdAt: at,
    updatedAt: at,
    editedAt: null,
    deletedAt: null,
  };
}

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

  it('starts at the latest page and has no newer pages without aroundSeq', async () => {
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
  });

  it('opened around a message, loads older pages by beforeSeq and newer ones by afterSeq, keeping the first sync point', async () => {
    const requests: URLSearchParams[] = [];
    serveHistory(requests);
    const queryClient = new QueryClient();
    const observer = new InfiniteQueryObserver(queryClient, messageTimelineOptions(CONVERSATION, 100));
    await observer.refetch();
    const first = observer.getCurrentResult();
    expect(requests[0]?.get('aroundSeq')).toBe('100');
    expect(seqs(first.data)).toEqual(range(95, 104).map((item) => item.seq));
    expect(first.hasNextPage).toBe(true);
    expect(first.hasPreviousPage).toBe(true);
    const syncedAt = first.data?.pages[0]?.syncedAt;

    const older = await observer.fetchNextPage();
    expect(requests[1]?.get('beforeSeq')).toBe('95');
    expect(seqs(older.data)[0]).toBe(85);

    const newer = await observer.fetchPreviousPage();
    expect(requests[2]?.get('afterSeq')).toBe('104');
    expect(seqs(newer.data).at(-1)).toBe(114);
    // The newer page is now the first one: it takes live messages and carries the older sync point.
    expect(newer.data?.pages[0]?.messages[0]?.seq).toBe(105);
    expect(newer.data?.pages[0]?.syncedAt).toBe(syncedAt);
    expect(newer.hasPreviousPage).toBe(true);
  });

  it('stops loading newer pages once they reach the live end, or once a gap fill joined it', async () => {
    const requests: URLSearchParams[] = [];
    serveHistory(requests);
    const queryClient = new QueryClient();
    const observer = new InfiniteQueryObserver(queryClient, messageTimelineOptions(CONVERSATION, 295));
    await observer.refetch();
    const first = observer.getCurrentResult();
    expect(seqs(first.data).at(-1)).toBe(299);
    const newer = await observer.fetchPreviousPage();
    expect(seqs(newer.data).at(-1)).toBe(300);
    expect(newer.hasPreviousPage).toBe(false);

    const { getPreviousPageParam } = messageTimelineOptions(CONVERSATION, 10);
    const page = {
      messages: range(5, 14).map((item) => ({ ...item, status: 'delivered' as const })),
      hasMore: true,
      hasNewer: true,
      lastSeq: 14,
      syncedAt: 'x',
    };
    expect(getPreviousPageParam?.(page, [page], null, [null])).toBeUndefined();
    expect(getPreviousPageParam?.({ ...page, lastSeq: 20 }, [page], null, [null])).toEqual({ afterSeq: 14, syncedAt: 'x' });
    expect(getPreviousPageParam?.({ ...page, hasNewer: undefined, lastSeq: 20 }, [page], null, [null])).toBeUndefined();
  });
});
