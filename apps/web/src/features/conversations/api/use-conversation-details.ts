import { queryOptions, useQuery, useQueryClient } from '@tanstack/react-query';
import { findConversation } from '../lib/conversation-cache';
import { conversationKeys } from './conversation-keys';
import { conversationsApi } from './conversations-api';
import { conversationListOptions } from './use-conversations';

/**
 * One conversation with its participants. Kept current by socket events (members, names, read
 * markers) and fetched again after every reconnect or wake, not polled.
 */
export const conversationDetailOptions = (id: string) =>
  queryOptions({
    queryKey: conversationKeys.detail(id),
    queryFn: ({ signal }) => conversationsApi.get(id, signal),
  });

/**
 * While it loads, the sidebar's copy stands in (without participants) so the header shows the
 * title at once; check `isPlaceholderData` before trusting `participants`.
 */
export function useConversationDetails(id: string | undefined) {
  const queryClient = useQueryClient();
  return useQuery({
    ...conversationDetailOptions(id ?? ''),
    enabled: Boolean(id),
    placeholderData: () => {
      if (!id) return undefined;
      const summary = findConversation(queryClient.getQueryData(conversationListOptions().queryKey), id);
      return summary ? { ...summary, participants: [] } : undefined;
    },
  });
}
