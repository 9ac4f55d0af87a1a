import { Button } from '../../../components/ui/button';
import { EmptyState } from '../../../components/ui/empty-state';
import { ChatBubblesIcon, PencilSquareIcon } from '../../../components/ui/icons';

/** Sidebar content until the user has conversations. */
export function ConversationsEmptyState({ onNewConversation }: { onNewConversation?: () => void }) {
  return (
    <EmptyState
      icon={<ChatBubblesIcon className="size-6" />}
      badge="soft"
      titleAs="p"
      title="No conversations yet"
      description="When you start a conversation or someone messages you, it will show up here."
      descriptionClassName="max-w-56 text-slate-500"
    >
      {onNewConversation && (
        // Named differently from the header's "New conversation" button so each name stays unique on the page.
        <Button variant="secondary" className="mt-5" onClick={onNewConversation}>
          <PencilSquareIcon className="size-4 text-slate-500" />
          Start a conversation
        </Button>
      )}
    </EmptyState>
  );
}
