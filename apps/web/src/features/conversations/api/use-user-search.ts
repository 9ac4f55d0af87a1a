import { queryOptions, useQuery } from '@tanstack/react-query';
import { useDebouncedValue } from '../../../hooks/use-debounced-value';
import { conversationKeys } from './conversation-keys';
import { conversationsApi } from './conversations-api';

export const USER_SEARCH_DEBOUNCE_MS = 250;
const MAX_QUERY_LENGTH = 100;

export const userSearchOptions = (query: string) =>
  queryOptions({
    queryKey: conversationKeys.userSearch(query),
    queryFn: ({ signal }) => conversationsApi.searchUsers(query, signal),
    staleTime: 30_000,
  });

/**
 * People matching `query` (display-name prefix or exact email). Waits for typing to pause and
 * never asks for a blank query, which the server rejects.
 */
export function useUserSearch(query: string) {
  const normalized = query.trim().slice(0, MAX_QUERY_LENGTH);
  const debounced = useDebouncedValue(normalized, USER_SEARCH_DEBOUNCE_MS);
  const enabled = debounced.length > 0;
  const result = useQuery({
    ...userSearchOptions(debounced),
    enabled,
    // Keep the previous results on screen while the next query runs, instead of flashing empty.
    placeholderData: (previous) => (enabled ? previous : undefined),
  });
  return {
    ...result,
    users: enabled ? (result.data?.users ?? []) : [],
    /** The query is blank: show a prompt rather than "no results". */
    isIdle: normalized.length === 0,
    /** Typing has not settled or the request is in flight. */
    isSearching: normalized.length > 0 && (normalized !== debounced || (enabled && result.isFetching)),
  };
}
