import { type Presence, PRESENCE_BATCH_MAX, presenceBatchResponseSchema } from '@chat/shared';
import { queryOptions, skipToken } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';

export const presenceApi = {
  /** Up to PRESENCE_BATCH_MAX users at once; the caller splits longer lists. */
  batch: (userIds: readonly string[], signal?: AbortSignal) =>
    apiClient.get(`/api/presence?${new URLSearchParams({ userIds: userIds.slice(0, PRESENCE_BATCH_MAX).join(',') })}`, {
      schema: presenceBatchResponseSchema,
      signal,
    }),
};

/**
 *   presenceKeys.all              everything about presence
 *   presenceKeys.users()          every user's status
 *   presenceKeys.user(id)         one user's status
 *   presenceKeys.snapshot(ids)    one HTTP batch (the fallback while the socket is down)
 */
export const presenceKeys = {
  all: ['presence'] as const,
  users: () => [...presenceKeys.all, 'user'] as const,
  user: (userId: string) => [...presenceKeys.users(), userId] as const,
  snapshot: (sortedIds: readonly string[]) => [...presenceKeys.all, 'snapshot', sortedIds.join(',')] as const,
};

/**
 * One user's status. Nothing fetches it: the presence watcher writes it from the socket (the
 * subscribe ack, then 'presence:update') or, while the socket is down, from an HTTP snapshot.
 */
export const presenceOptions = (userId: string) =>
  queryOptions<Presence>({
    queryKey: presenceKeys.user(userId),
    queryFn: skipToken,
  });
