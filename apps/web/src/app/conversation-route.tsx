import { Link } from 'react-router';
import { NoConversationSelected } from '../features/conversations';

/** Placeholder for /c/:conversationId until the conversation view exists. */
export function ConversationRoute() {
  return (
    <>
      <div className="flex h-12 shrink-0 items-center border-b border-slate-200 bg-white px-2 md:hidden">
        <Link
          to="/"
          className="inline-flex items-center gap-1 rounded-md px-2 py-1.5 text-sm font-medium text-slate-600 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600"
        >
          <svg viewBox="0 0 20 20" fill="currentColor" className="size-4" aria-hidden="true">
            <path
              fillRule="evenodd"
              d="M11.78 5.22a.75.75 0 0 1 0 1.06L8.06 10l3.72 3.72a.75.75 0 1 1-1.06 1.06l-4.25-4.25a.75.75 0 0 1 0-1.06l4.25-4.25a.75.75 0 0 1 1.06 0Z"
              clipRule="evenodd"
            />
          </svg>
          Conversations
        </Link>
      </div>
      <NoConversationSelected />
    </>
  );
}
