import type { AddParticipantsRequest, ConversationDetail, CreateConversationRequest, UpdateConversationRequest } from '@chat/shared';
import { type QueryClient, useMutation, useQueryClient } from '@tanstack/react-query';
import { type ConversationPages, removeConversationFromPages, upsertConversationInPages } from '../lib/conversation-cache';
import { conversationKeys } from './conversation-keys';
import { conversationsApi } from './conversations-api';

/** Puts a fresh server copy into the detail cache and the list, then lets the list refetch for order and counts. */
export function storeConversation(queryClient: QueryClient, conversation: ConversationDetail): Promise<void> {
  queryClient.setQueryData(conversationKeys.detail(conversation.id), conversation);
  queryClient.setQueryData<ConversationPages>(conversationKeys.list(), (data) => upsertConversationInPages(data, conversation));
  return queryClient.invalidateQueries({ queryKey: conversationKeys.list() });
}

/** The user is no longer in it (left, deleted, removed): drop it everywhere without waiting for a refetch. */
export function forgetConversation(queryClient: QueryClient, id: string): Promise<void> {
  void queryClient.cancelQueries({ queryKey: conversationKeys.detail(id) });
  queryClient.removeQueries({ queryKey: conversationKeys.detail(id) });
  queryClient.setQueryData<ConversationPages>(conversationKeys.list(), (data) => removeConversationFromPages(data, id));
  return queryClient.invalidateQueries({ queryKey: conversationKeys.list() });
}

export function useCreateConversation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateConversationRequest) => conversationsApi.create(input),
    onSuccess: (conversation) => {
      void storeConversation(queryClient, conversation);
    },
  });
}

export function useUpdateConversation(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (changes: UpdateConversationRequest) => conversationsApi.update(id, changes),
    onSuccess: (conversation) => {
      void storeConversation(queryClient, conversation);
    },
  });
}

export function useJoinConversation(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => conversationsApi.join(id),
    onSuccess: (conversation) => {
      void storeConversation(queryClient, conversation);
    },
  });
}

export function useAddParticipants(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: AddParticipantsRequest) => conversationsApi.addParticipants(id, input),
    onSuccess: (conversation) => {
      void storeConversation(queryClient, conversation);
    },
  });
}

export function useRemoveParticipant(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (userId: string) => conversationsApi.removeParticipant(id, userId),
    onSuccess: (_result, userId) => {
      // Drop them from the panel at once; the refetch brings the authoritative count.
      queryClient.setQueryData<ConversationDetail>(conversationKeys.detail(id), (detail) =>
        detail
          ? {
              ...detail,
              participants: detail.participants.filter((participant) => participant.user.id !== userId),
              participantCount: Math.max(0, detail.participantCount - 1),
            }
          : detail,
      );
      void queryClient.invalidateQueries({ queryKey: conversationKeys.detail(id) });
      void queryClient.invalidateQueries({ queryKey: conversationKeys.list() });
    },
  });
}

/**
 * Leaving and deleting take the conversation out of the caches on success. Navigate away in the
 * caller's `onSuccess` (it runs after this one) so the open view does not refetch a 403.
 */
export function useLeaveConversation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => conversationsApi.leave(id),
    onSuccess: (_result, id) => {
      void forgetConversation(queryClient, id);
    },
  });
}

export function useDeleteConversation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => conversationsApi.remove(id),
    onSuccess: (_result, id) => {
      void forgetConversation(queryClient, id);
    },
  });
}
