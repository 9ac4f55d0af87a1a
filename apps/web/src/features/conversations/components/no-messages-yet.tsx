import { EmptyState } from '../../../components/ui/empty-state';
import { ChatBubbleIcon } from '../../../components/ui/icons';

/** The message area of a conversation nobody has written in yet. */
export function NoMessagesYet({ isGroup }: { isGroup: boolean }) {
  return (
    <EmptyState
      icon={<ChatBubbleIcon />}
      titleAs="h3"
      title="No messages yet"
      description={isGroup ? 'Say hello to get the group going.' : 'Say hello to start the conversation.'}
    />
  );
}
