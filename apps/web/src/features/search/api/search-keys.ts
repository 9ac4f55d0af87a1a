/**
 *   searchKeys.all              every search
 *   searchKeys.messages(query)  message search results for one query, a page at a time
 */
export const searchKeys = {
  all: ['search'] as const,
  messages: (query: string) => [...searchKeys.all, 'messages', query] as const,
};
