import type { Conversation } from '@chat/shared';
import { Avatar } from '../../../components/ui/avatar';
import { conversationTitle } from '../lib/conversation-display';

/** Groups get a rounded square in the group's colour; direct chats the other person's own avatar. */
export function ConversationAvatar({
  conversation,
  size = 'md',
  className,
}: {
  conversation: Pick<Conversation, 'id' | 'type' | 'title' | 'peer'>;
  size?: 'sm' | 'md';
  className?: string;
}) {
  const isGroup = conversation.type === 'group';
  return (
    <Avatar
      name={conversationTitle(conversation)}
      seed={isGroup ? conversation.id : (conversation.peer?.id ?? conversation.id)}
      shape={isGroup ? 'square' : 'circle'}
      size={size}
      className={className}
    />
  );
}
