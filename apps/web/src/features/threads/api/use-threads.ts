import { THREAD_PAGE_MAX, threadPageSchema } from '@chat/shared';
import { type QueryClient, queryOptions, useQuery } from '@tanstack/react-query';
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

/** Whether the user follows the thread of `rootId`, from a fresh first page of followed threads (unread ones come first). */
export async function followsThread(queryClient: QueryClient, rootId: string): Promise<boolean> {
  const page = await queryClient.fetchQuery({ ...followedThreadsOptions(), staleTime: 0 });
  return page.threads.some((thread) => thread.root.id === rootId);
}

export function useFollowedThreads() {
  return useQuery(followedThreadsOptions());
}
