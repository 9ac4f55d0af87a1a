import { SEARCH_PAGE_DEFAULT, searchMessagesResponseSchema } from '@chat/shared';
import { apiClient } from '../../../lib/api-client';

export const searchApi = {
  /** Newest first; `cursor` is the previous page's nextCursor. */
  messages: ({ query, cursor, limit = SEARCH_PAGE_DEFAULT, signal }: { query: string; cursor?: string | null; limit?: number; signal?: AbortSignal }) => {
    const params = new URLSearchParams({ q: query, limit: String(limit) });
    if (cursor) params.set('cursor', cursor);
    return apiClient.get(`/api/search/messages?${params}`, { schema: searchMessagesResponseSchema, signal });
  },
};
