import { Link } from 'react-router';
import { Avatar } from '../../../components/ui/avatar';
import { ChevronLeftIcon } from '../../../components/ui/icons';
import { LoadError } from '../../../components/ui/empty-state';
import { Spinner } from '../../../components/ui/spinner';
import { genericErrorMessage } from '../../../lib/form-errors';
import { conversationTitle, useConversations } from '../../conversations';
import { threadActivityLabel, threadLink } from '../../messages';
import { useFollowedThreads } from '../api/use-threads';

/** The threads the user follows: unread ones first (with how many replies are new), then by last reply. */
export function ThreadsPage() {
  const threads = useFollowedThreads();
  const { data: conversations } = useConversations();
  const titleOf = (conversationId: string) => {
    const conversation = conversations?.find((item) => item.id === conversationId);
    return conversation ? conversationTitle(conversation) : 'Conversation';
  };
  const now = Date.now();

  let body;
  if (threads.status === 'pending') {
    body = (
      <p role="status" className="flex items-center gap-2 p-6 text-sm text-slate-500">
        <Spinner className="size-4" /> Loading threads…
      </p>
    );
  } else if (threads.status === 'error') {
    body = (
      <LoadError
        titleAs="p"
        title="Couldn't load your threads"
        error={genericErrorMessage(threads.error)}
        onRetry={() => void threads.refetch()}
        isRetrying={threads.isRefetching}
      />
    );
  } else if (threads.data.threads.length === 0) {
    body = <p className="p-6 text-sm text-slate-600">No threads yet. Threads you start, reply to or are mentioned in show up here.</p>;
  } else {
    body = (
      <ul aria-label="Followed threads" className="divide-y divide-slate-100">
        {threads.data.threads.map(({ conversationId, root, thread, unreadCount }) => (
          <li key={root.id}>
            <Link
              to={threadLink(conversationId, root.id)}
              className="flex items-start gap-3 px-4 py-3 hover:bg-slate-50 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-indigo-600"
            >
              <Avatar name={root.sender.displayName} seed={root.senderId} />
              <div className="min-w-0 flex-1">
                <p className="truncate text-xs font-medium text-slate-500">{titleOf(conversationId)}</p>
                <p className="truncate text-sm text-slate-900">
                  <span className="font-medium">{root.sender.displayName}: </span>
                  {root.deletedAt ? <span className="italic">Message deleted</span> : root.content}
                </p>
                <p className="text-xs text-slate-600">{threadActivityLabel(thread, now)}</p>
              </div>
              {unreadCount > 0 && (
                <span className="shrink-0 rounded-full bg-indigo-600 px-2 py-0.5 text-xs font-semibold text-white">
                  {unreadCount}
                  <span className="sr-only"> unread {unreadCount === 1 ? 'reply' : 'replies'}</span>
                </span>
              )}
            </Link>
          </li>
        ))}
      </ul>
    );
  }

  return (
    <section aria-labelledby="threads-title" className="flex min-h-0 flex-1 flex-col bg-white">
      <div className="flex h-14 shrink-0 items-center gap-2 border-b border-slate-100 px-2 md:px-4">
        <Link
          to="/"
          aria-label="Back to conversations"
          className="inline-flex size-9 shrink-0 items-center justify-center rounded-lg text-slate-500 hover:bg-slate-100 hover:text-slate-700 focus-visible:outline-2 focus-visible:outline-indigo-600 md:hidden"
        >
          <ChevronLeftIcon />
        </Link>
        <h2 id="threads-title" className="text-sm font-semibold text-slate-900">
          Threads
        </h2>
      </div>
      <div className="min-h-0 flex-1 overflow-y-auto">{body}</div>
    </section>
  );
}
