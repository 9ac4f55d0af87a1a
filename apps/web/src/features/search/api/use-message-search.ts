import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import { useDebouncedValue } from '../../../hooks/use-debounced-value';
import { ApiError } from '../../../lib/api-client';
import { normalizeSearchQuery, SEARCH_MIN_LENGTH } from '../lib/search-query';
import { searchApi } from './search-api';
import { searchKeys } from './search-keys';

export const MESSAGE_SEARCH_DEBOUNCE_MS = 250;

export const messageSearchOptions = (query: string) =>
  infiniteQueryOptions({
    queryKey: searchKeys.messages(query),
    queryFn: ({ pageParam, signal }) => searchApi.messages({ query, cursor: pageParam, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => (lastPage.hasMore && lastPage.nextCursor ? lastPage.nextCursor : undefined),
    staleTime: 30_000,
    // A 4xx (a malformed query) is the answer: retrying only delays the message.
    retry: (failures, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && failures < 2,
  });

/**
 * Messages matching `query`, newest first. Waits for typing to pause, or runs at once when
 * `submitted` equals the current query (Enter); queries under SEARCH_MIN_LENGTH are not sent.
 */
export function useMessageSearch(query: string, submitted: string | null = null) {
  const normalized = normalizeSearchQuery(query);
  const debounced = useDebouncedValue(normalized, MESSAGE_SEARCH_DEBOUNCE_MS);
  const active = submitted !== null && normalizeSearchQuery(submitted) === normalized ? normalized : debounced;
  const enabled = active.length >= SEARCH_MIN_LENGTH;
  const result = useInfiniteQuery({
    ...messageSearchOptions(active),
    enabled,
    // Keep the previous results on screen while the next query runs, instead of flashing empty.
    placeholderData: (previous) => (enabled ? previous : undefined),
  });
  return {
    ...result,
    results: enabled ? (result.data?.pages.flatMap((page) => page.results) ?? []) : [],
    /** Too short to search: show a prompt rather than "no results". */
    isIdle: normalized.length < SEARCH_MIN_LENGTH,
    /** Typing has not settled or the request is in flight. */
    isSearching: normalized.length >= SEARCH_MIN_LENGTH && (normalized !== active || (enabled && result.isFetching && !result.isFetchingNextPage)),
  };
}
