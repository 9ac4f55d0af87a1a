import type { SearchMessagesResponse } from '@chat/shared';
import { QueryClient } from '@tanstack/react-query';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../lib/api-client';
import { messageSearchOptions } from './use-message-search';

const page = (overrides: Partial<SearchMessagesResponse> = {}): SearchMessagesResponse => ({ results: [], nextCursor: null, hasMore: false, ...overrides });

describe('messageSearchOptions', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('keys results by query', () => {
    expect(messageSearchOptions('lunch').queryKey).toEqual(['search', 'messages', 'lunch']);
    expect(messageSearchOptions('lunch').queryKey).not.toEqual(messageSearchOptions('dinner').queryKey);
  });

  it('asks for the next page with the cursor only while the server says there is more', () => {
    const { getNextPageParam, initialPageParam } = messageSearchOptions('lunch');
    expect(initialPageParam).toBeNull();
    expect(getNextPageParam(page({ hasMore: true, nextCursor: 'abc' }), [], null, [])).toBe('abc');
    expect(getNextPageParam(page({ hasMore: false, nextCursor: 'abc' }), [], null, [])).toBeUndefined();
    expect(getNextPageParam(page({ hasMore: true, nextCursor: null }), [], null, [])).toBeUndefined();
  });

  it('does not retry a rejected query but retries a server failure', () => {
    const retry = messageSearchOptions('x').retry as (failures: number, error: unknown) => boolean;
    expect(retry(0, new ApiError({ status: 400, message: 'before must be a date' }))).toBe(false);
    expect(retry(0, new ApiError({ status: 503, message: 'down' }))).toBe(true);
    expect(retry(2, new ApiError({ status: 503, message: 'down' }))).toBe(false);
  });

  it('fetches the query and then the next page by cursor', async () => {
    const urls: string[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) => {
        urls.push(url);
        const body = url.includes('cursor=') ? page() : page({ hasMore: true, nextCursor: 'next-1' });
        return new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });
      }),
    );
    const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    await queryClient.fetchInfiniteQuery({ ...messageSearchOptions('lunch plans'), pages: 2 });
    const [first, second] = urls.map((url) => new URL(url, 'http://localhost'));
    expect(first?.pathname).toBe('/api/search/messages');
    expect(first?.searchParams.get('q')).toBe('lunch plans');
    expect(first?.searchParams.has('cursor')).toBe(false);
    expect(second?.searchParams.get('cursor')).toBe('next-1');
  });
});
