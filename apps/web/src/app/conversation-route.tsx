import { useParams } from 'react-router';
import { ConversationView } from '../features/conversations';

export function ConversationRoute() {
  const { conversationId = '' } = useParams();
  // Keyed so per-conversation state (open menus, rename, dialogs) resets when switching chats.
  return <ConversationView key={conversationId} conversationId={conversationId} />;
}
