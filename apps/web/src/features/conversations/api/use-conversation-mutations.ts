import type {
  AddParticipantsRequest,
  ConversationDetail,
  CreateConversationRequest,
  UpdateConversationNotificationsRequest,
  UpdateConversationRequest,
} from '@chat/shared';
import { type QueryClient, useMutation, useQueryClient } from '@tanstack/react-query';
import { dropParticipant, forgetConversation, storeConversation, storeNotifications } from '../lib/conversation-store';
import { conversationsApi } from './conversations-api';

/** A mutation whose answer (or the id it acted on) goes into the caches through `onStored`. */
function useCachedMutation<TInput, TResult>(
  mutationFn: (input: TInput) => Promise<TResult>,
  onStored: (queryClient: QueryClient, result: TResult, input: TInput) => void,
) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn, onSuccess: (result, input) => onStored(queryClient, result, input) });
}

/** Each of these answers with the conversation's fresh detail. */
const storeAnswer = (queryClient: QueryClient, conversation: ConversationDetail) => void storeConversation(queryClient, conversation);

export const useCreateConversation = () => useCachedMutation((input: CreateConversationRequest) => conversationsApi.create(input), storeAnswer);

export const useUpdateConversation = (id: string) =>
  useCachedMutation((changes: UpdateConversationRequest) => conversationsApi.update(id, changes), storeAnswer);

export const useJoinConversation = (id: string) => useCachedMutation((_: void) => conversationsApi.join(id), storeAnswer);

export const useAddParticipants = (id: string) =>
  useCachedMutation((input: AddParticipantsRequest) => conversationsApi.addParticipants(id, input), storeAnswer);

export const useUpdateNotifications = (id: string) =>
  useCachedMutation(
    (changes: UpdateConversationNotificationsRequest) => conversationsApi.updateNotifications(id, changes),
    (queryClient, notifications) => storeNotifications(queryClient, id, notifications),
  );

export const useRemoveParticipant = (id: string) =>
  useCachedMutation(
    (userId: string) => conversationsApi.removeParticipant(id, userId),
    (queryClient, _result, userId) => dropParticipant(queryClient, id, userId),
  );

/**
 * Leaving and deleting take the conversation out of the caches on success. Navigate away in the
 * caller's `onSuccess` (it runs after this one) so the open view does not refetch a 403.
 */
export const useLeaveConversation = () =>
  useCachedMutation(
    (id: string) => conversationsApi.leave(id),
    (queryClient, _result, id) => void forgetConversation(queryClient, id),
  );

export const useDeleteConversation = () =>
  useCachedMutation(
    (id: string) => conversationsApi.remove(id),
    (queryClient, _result, id) => void forgetConversation(queryClient, id),
  );
