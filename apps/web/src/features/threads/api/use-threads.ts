import { THREAD_PAGE_MAX, threadPageSchema } from '@chat/shared';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';

export const threadKeys = {
  all: ['threads'] as const,
  followed: () => [...threadKeys.all, 'followed'] as const,
};

/** The threads the user follows (one page of the most relevant: unread first, then by last reply). */
export const followedThreadsOptions = () =>
  queryOptions({
    queryKey: threadKeys.followed(),
    queryFn: ({ signal }) => apiClient.get(`/api/threads?${new URLSearchParams({ limit: String(THREAD_PAGE_MAX) })}`, { schema: threadPageSchema, signal }),
    staleTime: 30_000,
  });

export function useFollowedThreads() {
  return useQuery(followedThreadsOptions());
}
