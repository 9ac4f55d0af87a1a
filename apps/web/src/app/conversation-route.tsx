import { useParams } from 'react-router';
import { ConversationView } from '../features/conversations';
import { ChatWindow } from '../features/messages';

export function ConversationRoute() {
  const { conversationId = '' } = useParams();
  // Keyed so per-conversation state (open menus, rename, dialogs, scroll) resets when switching chats.
  return (
    <ConversationView
      key={conversationId}
      conversationId={conversationId}
      renderMessages={(conversation, currentUserId) => <ChatWindow conversation={conversation} currentUserId={currentUserId} />}
    />
  );
}
