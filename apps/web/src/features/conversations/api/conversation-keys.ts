/**
 * Every conversation-related query key, in one place, so mutations here and real-time events
 * later can update or invalidate exactly what they affect.
 *
 *   conversationKeys.all            everything below
 *   conversationKeys.list()         the sidebar's infinite list
 *   conversationKeys.detail(id)     one conversation with its participants
 *   conversationKeys.preview(id)    what an invite link shows (name, member count)
 *   conversationKeys.userSearch(q)  people search results
 */
export const conversationKeys = {
  all: ['conversations'] as const,
  list: () => [...conversationKeys.all, 'list'] as const,
  details: () => [...conversationKeys.all, 'detail'] as const,
  detail: (id: string) => [...conversationKeys.details(), id] as const,
  preview: (id: string) => [...conversationKeys.all, 'preview', id] as const,
  userSearch: (query: string) => ['users', 'search', query] as const,
};
