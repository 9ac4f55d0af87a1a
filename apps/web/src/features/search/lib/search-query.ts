import { SEARCH_QUERY_MAX } from '@chat/shared';

export const SEARCH_MIN_LENGTH = 2;

/** What is sent: trimmed, inner whitespace collapsed, capped at what the server accepts. */
export function normalizeSearchQuery(query: string): string {
  return query.replace(/\s+/g, ' ').trim().slice(0, SEARCH_QUERY_MAX);
}
