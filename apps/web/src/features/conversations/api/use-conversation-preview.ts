import { queryOptions, useQuery } from '@tanstack/react-query';
import { ApiError } from '../../../lib/api-client';
import { conversationKeys } from './conversation-keys';
import { conversationsApi } from './conversations-api';

export const conversationPreviewOptions = (id: string) =>
  queryOptions({
    queryKey: conversationKeys.preview(id),
    queryFn: ({ signal }) => conversationsApi.preview(id, signal),
    // A 404 is the answer (private or gone), not a hiccup worth retrying.
    retry: (failures, error) => !(error instanceof ApiError && error.status < 500 && error.status > 0) && failures < 2,
  });

/** The invite page's view of a conversation the user cannot open yet. */
export function useConversationPreview(id: string, enabled = true) {
  return useQuery({ ...conversationPreviewOptions(id), enabled });
}
