/**
 *   messageKeys.all               every conversation's timeline
 *   messageKeys.list(id)          one conversation's infinite timeline (latest page first)
 *   messageKeys.receipts(id)      who read one message
 *   messageKeys.readCount(id)     the latest 'receipt:count' of a large group (socket-fed only)
 */
export const messageKeys = {
  all: ['messages'] as const,
  lists: () => [...messageKeys.all, 'list'] as const,
  list: (conversationId: string) => [...messageKeys.lists(), conversationId] as const,
  receipts: (messageId: string) => [...messageKeys.all, 'receipts', messageId] as const,
  readCount: (conversationId: string) => [...messageKeys.all, 'read-count', conversationId] as const,
};
