import type { ConversationPreview } from '@chat/shared';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { Button } from '../../../components/ui/button';
import { UserGroupIcon } from '../../../components/ui/icons';
import { Spinner } from '../../../components/ui/spinner';
import { ApiError } from '../../../lib/api-client';
import { useJoinConversation } from '../api/use-conversation-mutations';
import { useConversationPreview } from '../api/use-conversation-preview';
import { conversationErrorMessage } from '../lib/conversation-errors';

/**
 * Shown for a conversation the user cannot open: deleted, unknown, or one they are not in. For the
 * last case (an invite link, usually) the preview says whether it is a public group they can join,
 * with its name and member count; a private one looks the same as a missing one.
 */
export function ConversationUnavailable({ conversationId, canTryJoining }: { conversationId: string; canTryJoining: boolean }) {
  const preview = useConversationPreview(conversationId, canTryJoining);

  if (!canTryJoining) return <Unavailable message="It may have been deleted, or the link may be wrong." />;
  if (preview.isPending) {
    return (
      <Centered>
        <p role="status" className="flex items-center gap-2 text-sm text-slate-600">
          <Spinner className="size-4" /> Looking up this conversation…
        </p>
      </Centered>
    );
  }
  if (preview.data?.isPublic && preview.data.type === 'group') return <JoinGroup conversationId={conversationId} preview={preview.data} />;
  if (preview.error instanceof ApiError && preview.error.status === 404) {
    return <Unavailable message="It may be private or deleted. Ask one of its members to add you." />;
  }
  // The preview itself failed (offline, server trouble): joining is still worth a try, and its answer tells.
  return <JoinGroup conversationId={conversationId} preview={null} />;
}

function JoinGroup({ conversationId, preview }: { conversationId: string; preview: ConversationPreview | null }) {
  const join = useJoinConversation(conversationId);
  const inviteOnly = join.error instanceof ApiError && join.error.code === 'JOIN_NOT_ALLOWED';
  if (inviteOnly) return <Unavailable message="This group is invite-only. Ask one of its members to add you." />;
  const members = preview ? `${preview.participantCount} ${preview.participantCount === 1 ? 'member' : 'members'}` : null;

  return (
    <Centered>
      <span className="mb-4 inline-flex size-14 items-center justify-center rounded-2xl bg-indigo-50 text-indigo-600 ring-1 ring-indigo-100">
        <UserGroupIcon className="size-7" />
      </span>
      <h2 className="text-lg font-semibold text-slate-900">{preview?.title ?? 'Join this group?'}</h2>
      <p className="mt-1 text-sm text-slate-600">{members ? `Public group · ${members}` : "You're not a member of this conversation. If it's a public group, you can join it."}</p>
      {join.isError && (
        <p role="alert" className="mt-3 text-sm text-red-600">
          {conversationErrorMessage(join.error)}
        </p>
      )}
      <div className="mt-6 flex flex-wrap items-center justify-center gap-3">
        <Button onClick={() => join.mutate()} isLoading={join.isPending}>
          {preview?.title ? 'Join group' : 'Join conversation'}
        </Button>
        <BackLink />
      </div>
    </Centered>
  );
}

function Unavailable({ message }: { message: string }) {
  return (
    <Centered>
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
      <p className="mt-1 max-w-sm text-sm text-slate-600">{message}</p>
      <div className="mt-6">
        <BackLink />
      </div>
    </Centered>
  );
}

function Centered({ children }: { children: ReactNode }) {
  return <div className="flex flex-1 flex-col items-center justify-center px-6 py-12 text-center">{children}</div>;
}

function BackLink() {
  return (
    <Link
      to="/"
      className="inline-flex rounded-lg px-3.5 py-2 text-sm font-semibold text-slate-700 ring-1 ring-inset ring-slate-300 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
    >
      Back to conversations
    </Link>
  );
}
