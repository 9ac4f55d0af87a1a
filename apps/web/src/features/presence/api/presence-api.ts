import { PRESENCE_BATCH_MAX, presenceBatchResponseSchema } from '@chat/shared';
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
 *   presenceKeys.all            every presence batch
 *   presenceKeys.batch(ids)     one sorted set of users
 */
export const presenceKeys = {
  all: ['presence'] as const,
  batch: (sortedIds: readonly string[]) => [...presenceKeys.all, sortedIds.join(',')] as const,
};
