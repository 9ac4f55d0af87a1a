import { useRef } from 'react';
import { LoadError } from '../../../components/ui/empty-state';
import { Spinner } from '../../../components/ui/spinner';
import { useIntersection } from '../../../hooks/use-intersection';
import { useNow } from '../../../hooks/use-now';
import { genericErrorMessage } from '../../../lib/form-errors';
import { useAuth } from '../../auth';
import { usePresence } from '../../presence';
import { useConversations } from '../api/use-conversations';
import { ConversationItem } from './conversation-item';
import { ConversationListSkeleton } from './conversation-list-skeleton';
import { ConversationsEmptyState } from './conversations-empty-state';

/** Start loading the next page this far before the end of the list comes into view. */
const PRELOAD_MARGIN = '0px 0px 320px 0px';

export function ConversationList({ onNewConversation }: { onNewConversation: () => void }) {
  const { user } = useAuth();
  const now = useNow();
  const scrollRef = useRef<HTMLDivElement>(null);
  const sentinelRef = useRef<HTMLDivElement>(null);
  const {
    data: conversations,
    status,
    error,
    refetch,
    isRefetching,
    hasNextPage,
    fetchNextPage,
    isFetchingNextPage,
    isFetchNextPageError,
  } = useConversations();

  const presences = usePresence(conversations?.map((conversation) => (conversation.type === 'direct' ? conversation.peer?.id : null)) ?? []);

  const canLoadMore = hasNextPage && !isFetchingNextPage && !isFetchNextPageError;
  useIntersection(sentinelRef, () => void fetchNextPage(), {
    root: scrollRef,
    rootMargin: PRELOAD_MARGIN,
    enabled: canLoadMore,
    resetKey: conversations?.length,
  });

  if (status === 'pending') return <ConversationListSkeleton />;

  if (status === 'error' && !conversations) {
    return (
      <LoadError
        titleAs="p"
        title="Couldn't load your conversations"
        error={genericErrorMessage(error)}
        descriptionClassName="max-w-60 text-slate-500"
        onRetry={() => void refetch()}
        isRetrying={isRefetching}
      />
    );
  }

  if (!conversations || conversations.length === 0) {
    return <ConversationsEmptyState onNewConversation={onNewConversation} />;
  }

  return (
    <div ref={scrollRef} className="relative min-h-0 flex-1 overflow-y-auto overscroll-contain">
      <ul role="list" className="space-y-0.5 p-2">
        {conversations.map((conversation) => (
          <li key={conversation.id}>
            <ConversationItem
              conversation={conversation}
              currentUserId={user?.id}
              now={now}
              presence={conversation.type === 'direct' && conversation.peer ? presences.get(conversation.peer.id) : undefined}
            />
          </li>
        ))}
      </ul>
      <div ref={sentinelRef} className="px-4 pb-4">
        {isFetchingNextPage && (
          <div role="status" className="flex items-center justify-center gap-2 py-2 text-xs text-slate-500">
            <Spinner className="size-3.5" />
            Loading more…
          </div>
        )}
        {isFetchNextPageError && (
          <div role="alert" className="flex items-center justify-center gap-2 py-2 text-xs text-slate-500">
            Couldn't load more.
            <button
              type="button"
              onClick={() => void fetchNextPage()}
              className="rounded font-semibold text-indigo-600 hover:text-indigo-500 focus-visible:outline-2 focus-visible:outline-indigo-600"
            >
              Retry
            </button>
          </div>
        )}
      </div>
    </div>
  );
}
