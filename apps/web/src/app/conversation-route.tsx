import { useMemo } from 'react';
import { useLocation, useParams, useSearchParams } from 'react-router';
import { ConversationView } from '../features/conversations';
import { ChatWindow, parseMessageFocus, parseThreadLink } from '../features/messages';

export function ConversationRoute() {
  const { conversationId = '' } = useParams();
  const [searchParams] = useSearchParams();
  const { key } = useLocation();
  // ?message=<id>&seq=<n> (a search result): open at that message.
  const focusMessage = useMemo(() => parseMessageFocus(searchParams, key), [searchParams, key]);
  // ?thread=<rootId> (a reply found by search, a followed thread): open with that thread.
  const openThreadId = parseThreadLink(searchParams);
  // Keyed so per-conversation state (open menus, rename, dialogs, scroll) resets when switching chats.
  return (
    <ConversationView
      key={conversationId}
      conversationId={conversationId}
      renderMessages={(conversation, currentUserId) => (
        <ChatWindow conversation={conversation} currentUserId={currentUserId} focusMessage={focusMessage} openThreadId={openThreadId} />
      )}
    />
  );
}
