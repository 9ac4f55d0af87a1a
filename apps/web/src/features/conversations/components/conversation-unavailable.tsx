import type { ConversationPreview } from '@chat/shared';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { Button } from '../../../components/ui/button';
import { EmptyState } from '../../../components/ui/empty-state';
import { LockClosedIcon, UserGroupIcon } from '../../../components/ui/icons';
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
    <EmptyState
      icon={<UserGroupIcon className="size-7" />}
      badge="brand"
      title={preview?.title ?? 'Join this group?'}
      titleClassName="text-lg font-semibold text-slate-900"
      description={members ? `Public group · ${members}` : "You're not a member of this conversation. If it's a public group, you can join it."}
      descriptionClassName="text-slate-600"
    >
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
    </EmptyState>
  );
}

function Unavailable({ message }: { message: string }) {
  return (
    <EmptyState icon={<LockClosedIcon />} title="This conversation is not available" description={message} descriptionClassName="max-w-sm text-slate-600">
      <div className="mt-6">
        <BackLink />
      </div>
    </EmptyState>
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
