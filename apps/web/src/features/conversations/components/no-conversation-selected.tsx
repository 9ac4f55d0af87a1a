import { EmptyState } from '../../../components/ui/empty-state';
import { ChatBubbleIcon } from '../../../components/ui/icons';

/** Main-area placeholder when no conversation is open. */
export function NoConversationSelected() {
  return <EmptyState icon={<ChatBubbleIcon />} title="Select a conversation to start chatting" description="Your messages will appear here." />;
}
