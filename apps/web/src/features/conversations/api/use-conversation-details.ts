import type { ConversationDetail } from '@chat/shared';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type ConversationPages, findConversation } from '../lib/conversation-cache';
import { conversationKeys } from './conversation-keys';
import { conversationsApi } from './conversations-api';

/**
 * One conversation with its participants. While it loads, the sidebar's copy stands in (without
 * participants) so the header shows the title at once; check `isPlaceholderData` before trusting
 * `participants`. Kept current by socket events (members, names, read markers) and fetched again
 * after every reconnect or wake, not polled.
 */
export function useConversationDetails(id: string | undefined) {
  const queryClient = useQueryClient();
  return useQuery<ConversationDetail, Error, ConversationDetail, ReturnType<typeof conversationKeys.detail>>({
    queryKey: conversationKeys.detail(id ?? ''),
    queryFn: ({ signal }) => conversationsApi.get(id ?? '', signal),
    enabled: Boolean(id),
    placeholderData: () => {
      if (!id) return undefined;
      const summary = findConversation(queryClient.getQueryData<ConversationPages>(conversationKeys.list()), id);
      return summary ? { ...summary, participants: [] } : undefined;
    },
  });
}
