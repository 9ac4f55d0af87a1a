/**
 *   messageKeys.all               every conversation's timeline
 *   messageKeys.list(id)          one conversation's infinite timeline (latest page first)
 *   messageKeys.window(id, seq)   the history around an old message, shown instead of the timeline after a jump
 *   messageKeys.thread(id, root)  a thread's root and replies (the panel; live replies come from the timeline)
 *   messageKeys.receipts(id)      who read one message
 *   messageKeys.readCount(id)     the latest 'receipt:count' of a large group (socket-fed only)
 *   messageKeys.reactors(id, v)   who reacted to one message with what, at one reactions version
 */
export const messageKeys = {
  all: ['messages'] as const,
  lists: () => [...messageKeys.all, 'list'] as const,
  list: (conversationId: string) => [...messageKeys.lists(), conversationId] as const,
  windows: (conversationId: string) => [...messageKeys.all, 'window', conversationId] as const,
  window: (conversationId: string, aroundSeq: number) => [...messageKeys.windows(conversationId), aroundSeq] as const,
  thread: (conversationId: string, rootId: string) => [...messageKeys.all, 'thread', conversationId, rootId] as const,
  receipts: (messageId: string) => [...messageKeys.all, 'receipts', messageId] as const,
  readCount: (conversationId: string) => [...messageKeys.all, 'read-count', conversationId] as const,
  reactors: (messageId: string, reactionsVersion: number) => [...messageKeys.all, 'reactors', messageId, reactionsVersion] as const,
};
