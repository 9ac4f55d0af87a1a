import { type ConversationDetail, uuidSchema } from '@chat/shared';
import { useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect } from 'react';
import { LoadError } from '../../../components/ui/empty-state';
import { ApiError } from '../../../lib/api-client';
import { genericErrorMessage } from '../../../lib/form-errors';
import { useAuth } from '../../auth';
import { useConversationDetails } from '../api/use-conversation-details';
import { dropFromList } from '../lib/conversation-store';
import { ConversationHeader } from './conversation-header';
import { ConversationUnavailable } from './conversation-unavailable';
import { NoMessagesYet } from './no-messages-yet';

/** 400 (not a uuid), 403 (not a member) and 404 (unknown or deleted) all mean "you can't open this". */
function unavailableReason(error: unknown): 'forbidden' | 'missing' | null {
  if (!(error instanceof ApiError)) return null;
  if (error.status === 403) return 'forbidden';
  if (error.status === 404 || error.status === 400) return 'missing';
  return null;
}

/** The main area for /c/:conversationId: header on top, messages below. */
export interface ConversationViewProps {
  conversationId: string;
  /** The message area, supplied by the app so this feature does not depend on the messages feature. */
  renderMessages?: (conversation: ConversationDetail, currentUserId: string | undefined) => ReactNode;
}

export function ConversationView({ conversationId, renderMessages }: ConversationViewProps) {
  const { user } = useAuth();
  const queryClient = useQueryClient();
  const isValidId = uuidSchema.safeParse(conversationId).success;
  const { data: conversation, error, isPlaceholderData, refetch, isRefetching } = useConversationDetails(isValidId ? conversationId : undefined);
  const reason = isValidId ? unavailableReason(error) : 'missing';

  // Removed from the group, or it was deleted, while it still shows in the sidebar: drop it there too.
  useEffect(() => {
    if (!reason || !isValidId) return;
    dropFromList(queryClient, conversationId);
  }, [reason, isValidId, conversationId, queryClient]);

  if (reason) return <ConversationUnavailable conversationId={conversationId} canTryJoining={reason === 'forbidden'} />;

  if (!conversation) {
    if (error) {
      return (
        <LoadError
          title="Couldn't open this conversation"
          error={genericErrorMessage(error)}
          onRetry={() => void refetch()}
          isRetrying={isRefetching}
          buttonClassName="mt-5"
        />
      );
    }
    return <ConversationViewSkeleton />;
  }

  return (
    <>
      <ConversationHeader conversation={conversation} participantsLoaded={!isPlaceholderData} currentUserId={user?.id} />
      {renderMessages ? (
        renderMessages(conversation, user?.id)
      ) : (
        <section aria-label="Messages" className="flex min-h-0 flex-1 flex-col overflow-y-auto">
          <NoMessagesYet isGroup={conversation.type === 'group'} />
        </section>
      )}
    </>
  );
}

function ConversationViewSkeleton() {
  return (
    <>
      <div role="status" className="flex h-14 shrink-0 items-center gap-3 border-b border-slate-200 bg-white px-4">
        <span className="sr-only">Loading conversation</span>
        <span aria-hidden="true" className="size-8 rounded-full bg-slate-200 motion-safe:animate-pulse" />
        <span aria-hidden="true" className="space-y-1.5">
          <span className="block h-3 w-40 rounded bg-slate-200 motion-safe:animate-pulse" />
          <span className="block h-2.5 w-20 rounded bg-slate-100 motion-safe:animate-pulse" />
        </span>
      </div>
      <div className="flex-1" />
    </>
  );
}
