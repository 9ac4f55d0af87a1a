import { Link } from 'react-router';
import { Button } from '../../../components/ui/button';
import { ApiError } from '../../../lib/api-client';
import { useJoinConversation } from '../api/use-conversation-mutations';
import { conversationErrorMessage } from '../lib/conversation-errors';

/**
 * Shown for a conversation the user cannot open: deleted, unknown, or one they are not in. For the
 * last case the server does not say whether the group is public, so joining is offered and the
 * answer tells.
 */
export function ConversationUnavailable({ conversationId, canTryJoining }: { conversationId: string; canTryJoining: boolean }) {
  const join = useJoinConversation(conversationId);
  const inviteOnly = join.error instanceof ApiError && join.error.code === 'JOIN_NOT_ALLOWED';
  const message = inviteOnly
    ? 'This group is invite-only. Ask one of its members to add you.'
    : canTryJoining
      ? "You're not a member of this conversation. If it's a public group, you can join it."
      : 'It may have been deleted, or the link may be wrong.';

  return (
    <div className="flex flex-1 flex-col items-center justify-center px-6 py-12 text-center">
      <span className="mb-4 inline-flex size-14 items-center justify-center rounded-2xl bg-white text-slate-400 shadow-sm ring-1 ring-slate-200">
        <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.5" className="size-7" aria-hidden="true">
          <path
            strokeLinecap="round"
            strokeLinejoin="round"
            d="M16.5 10.5V6.75a4.5 4.5 0 1 0-9 0v3.75m-.75 11.25h10.5a2.25 2.25 0 0 0 2.25-2.25v-6.75a2.25 2.25 0 0 0-2.25-2.25H6.75a2.25 2.25 0 0 0-2.25 2.25v6.75a2.25 2.25 0 0 0 2.25 2.25Z"
          />
        </svg>
      </span>
      <h2 className="text-base font-semibold text-slate-900">This conversation is not available</h2>
      <p className="mt-1 max-w-sm text-sm text-slate-500">{message}</p>
      {join.isError && !inviteOnly && (
        <p role="alert" className="mt-3 text-sm text-red-600">
          {conversationErrorMessage(join.error)}
        </p>
      )}
      <div className="mt-6 flex flex-wrap items-center justify-center gap-3">
        {canTryJoining && !inviteOnly && (
          <Button onClick={() => join.mutate()} isLoading={join.isPending}>
            Join conversation
          </Button>
        )}
        <Link
          to="/"
          className="inline-flex rounded-lg px-3.5 py-2 text-sm font-semibold text-slate-700 ring-1 ring-inset ring-slate-300 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
        >
          Back to conversations
        </Link>
      </div>
    </div>
  );
}
