import { reactionUsersListSchema } from '@chat/shared';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { messageKeys } from './message-keys';

export const reactionsPath = (conversationId: string, messageId: string, emoji?: string) =>
  `/api/conversations/${encodeURIComponent(conversationId)}/messages/${encodeURIComponent(messageId)}/reactions${
    emoji === undefined ? '' : `/${encodeURIComponent(emoji)}`
  }`;

const fetchReactors = (conversationId: string, messageId: string, signal?: AbortSignal) =>
  apiClient.get(reactionsPath(conversationId, messageId), { schema: reactionUsersListSchema, signal });

/** Who reacted with what; keyed by the reactions version, so a change makes the next hover read anew. */
export const reactorsOptions = (conversationId: string, messageId: string, reactionsVersion: number) =>
  queryOptions({
    queryKey: messageKeys.reactors(messageId, reactionsVersion),
    queryFn: ({ signal }) => fetchReactors(conversationId, messageId, signal),
    staleTime: 30_000,
  });

/** Fetched only while `enabled` (a pill is hovered or focused). */
export function useReactors(conversationId: string, messageId: string, reactionsVersion: number, enabled: boolean) {
  return useQuery({ ...reactorsOptions(conversationId, messageId, reactionsVersion), enabled });
}
