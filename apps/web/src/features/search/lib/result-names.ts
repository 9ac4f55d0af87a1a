import type { Conversation, SearchResult } from '@chat/shared';
import { conversationTitle } from '../../conversations';

/**
 * What the sidebar calls the result's conversation. A direct chat the sidebar has not loaded is
 * named after the other person when they wrote the message; otherwise by the server's title.
 */
export function resultConversationName(
  result: Pick<SearchResult, 'conversation' | 'message'>,
  summary: Pick<Conversation, 'type' | 'title' | 'peer'> | undefined,
  currentUserId: string | undefined,
): string {
  if (summary) return conversationTitle(summary);
  const { conversation, message } = result;
  if (conversation.type === 'group') return conversationTitle({ type: 'group', title: conversation.title ?? null, peer: null });
  if (message.senderId !== currentUserId) return message.sender.displayName;
  return conversation.title?.trim() || 'Direct message';
}

/**
 * Who wrote it, beside the conversation's name: "You" for your own messages. A direct chat is named
 * after the other person, so their messages need no second name: undefined.
 */
export function resultSenderName(result: Pick<SearchResult, 'conversation' | 'message'>, currentUserId: string | undefined): string | undefined {
  if (result.message.senderId === currentUserId) return 'You';
  return result.conversation.type === 'direct' ? undefined : result.message.sender.displayName;
}
