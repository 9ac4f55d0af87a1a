import type { ConversationRemovedEvent } from '@chat/shared';
import { type QueryClient, queryOptions, skipToken } from '@tanstack/react-query';

export interface RemovalNotice {
  conversationId: string;
  text: string;
}

/** Held in the query cache (so signing out clears it with everything else) and shown by RemovalNoticeBanner. */
export const removalNoticeOptions = () => queryOptions<RemovalNotice | null>({ queryKey: ['notices', 'removal'], queryFn: skipToken, staleTime: Infinity });

/** Why a conversation went away, when someone else did it; null when the user left or deleted it themselves. */
export function removalNoticeText(event: ConversationRemovedEvent, currentUserId: string | undefined): string | null {
  if (event.reason === 'left' || !event.by || event.by.id === currentUserId) return null;
  const name = event.by.displayName;
  if (event.reason === 'removed') return `${name} removed you from ${event.title ? `"${event.title}"` : 'the group'}`;
  return `${name} deleted ${event.title ? `the group "${event.title}"` : 'the group'}`;
}

export function showRemovalNotice(queryClient: QueryClient, notice: RemovalNotice | null): void {
  queryClient.setQueryData(removalNoticeOptions().queryKey, notice);
}
