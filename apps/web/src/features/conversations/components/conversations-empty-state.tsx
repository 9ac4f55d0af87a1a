import { Button } from '../../../components/ui/button';
import { PencilSquareIcon } from '../../../components/ui/icons';

/** Sidebar content until the user has conversations. */
export function ConversationsEmptyState({ onNewConversation }: { onNewConversation?: () => void }) {
  return (
    <div className="flex flex-1 flex-col items-center justify-center px-6 py-12 text-center">
      <span className="mb-4 inline-flex size-12 items-center justify-center rounded-full bg-indigo-50 text-indigo-500">
        <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.5" className="size-6" aria-hidden="true">
          <path
            strokeLinecap="round"
            strokeLinejoin="round"
            d="M20.25 8.511c.884.284 1.5 1.128 1.5 2.097v4.286c0 1.136-.847 2.1-1.98 2.193-.34.027-.68.052-1.02.072v3.091l-3-3c-1.354 0-2.694-.055-4.02-.163a2.115 2.115 0 0 1-.825-.242m9.345-8.334a2.126 2.126 0 0 0-.476-.095 48.64 48.64 0 0 0-8.048 0c-1.131.094-1.976 1.057-1.976 2.192v4.286c0 .837.46 1.58 1.155 1.951m9.345-8.334V6.637c0-1.621-1.152-3.026-2.76-3.235A48.455 48.455 0 0 0 11.25 3c-2.115 0-4.198.137-6.24.402-1.608.209-2.76 1.614-2.76 3.235v6.226c0 1.621 1.152 3.026 2.76 3.235.577.075 1.157.14 1.74.194V21l4.155-4.155"
          />
        </svg>
      </span>
      <p className="text-sm font-semibold text-slate-900">No conversations yet</p>
      <p className="mt-1 max-w-56 text-sm text-slate-500">When you start a conversation or someone messages you, it will show up here.</p>
      {onNewConversation && (
        // Named differently from the header's "New conversation" button so each name stays unique on the page.
        <Button variant="secondary" className="mt-5" onClick={onNewConversation}>
          <PencilSquareIcon className="size-4 text-slate-500" />
          Start a conversation
        </Button>
      )}
    </div>
  );
}
