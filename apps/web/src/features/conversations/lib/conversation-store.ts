import { type ConversationDetail, type ConversationNotifications, MESSAGE_PREVIEW_LENGTH } from '@chat/shared';
import type { QueryClient } from '@tanstack/react-query';
import { patchQueryData, refetchAfterChange } from '../../../lib/query-cache';
import { conversationKeys } from '../api/conversation-keys';
import { conversationDetailOptions } from '../api/use-conversation-details';
import { conversationListOptions } from '../api/use-conversations';
import {
  applyMentionChange,
  applyMessageToPages,
  applyNotifications,
  applyReadState,
  findConversation,
  type IncomingMessage,
  mentionCountUncertain,
  patchConversationInPages,
  type ReadState,
  removeConversationFromPages,
  upsertConversationInPages,
} from './conversation-cache';

/**
 * Every write to the conversation caches (the sidebar list and the details) from outside their
 * queries: mutations, socket events and the other features go through these.
 */

const listKey = () => conversationListOptions().queryKey;

/** Puts a fresh server copy into the detail cache and the list, then lets the list refetch for order and counts. */
export function storeConversation(queryClient: QueryClient, conversation: ConversationDetail): Promise<void> {
  queryClient.setQueryData(conversationDetailOptions(conversation.id).queryKey, conversation);
  queryClient.setQueryData(listKey(), (data) => upsertConversationInPages(data, conversation));
  return refreshConversationList(queryClient);
}

/** The user is no longer in it (left, deleted, removed): drop it everywhere without waiting for a refetch. */
export function forgetConversation(queryClient: QueryClient, id: string): Promise<void> {
  const detail = conversationDetailOptions(id).queryKey;
  void queryClient.cancelQueries({ queryKey: detail });
  queryClient.removeQueries({ queryKey: detail });
  dropFromList(queryClient, id);
  return refreshConversationList(queryClient);
}

/** Takes a conversation out of the sidebar only (its view found out it cannot be opened). */
export function dropFromList(queryClient: QueryClient, id: string): void {
  queryClient.setQueryData(listKey(), (data) => removeConversationFromPages(data, id));
}

/** Unread counts, previews and order: fetched again for what no event tells. */
export function refreshConversationList(queryClient: QueryClient): Promise<void> {
  return refetchAfterChange(queryClient, { queryKey: listKey() });
}

/** The sidebar's entry for a conversation, if loaded. */
export function cachedConversation(queryClient: QueryClient, id: string) {
  return findConversation(queryClient.getQueryData(listKey()), id);
}

/**
 * A new message becomes its conversation's preview and moves it to the top. With `fetchIfMissing`,
 * a conversation the list does not show yet (new, or on an unloaded page) is fetched.
 */
export function showMessageInList(
  queryClient: QueryClient,
  message: IncomingMessage,
  options: { countAsUnread: boolean; sentByMe: boolean; mentionsMe?: boolean; fetchIfMissing?: boolean },
): void {
  const list = queryClient.getQueryData(listKey());
  if (options.fetchIfMissing && list && !findConversation(list, message.conversationId)) {
    void refreshConversationList(queryClient);
    return;
  }
  patchQueryData(queryClient, listKey(), (data) => applyMessageToPages(data, message, options));
}

/** An edit or a delete of the message the sidebar shows as a conversation's preview. */
export function updateLastMessagePreview(queryClient: QueryClient, conversationId: string, messageId: string, content: string, deleted: boolean): void {
  patchQueryData(queryClient, listKey(), (data) =>
    patchConversationInPages(data, conversationId, (conversation) =>
      conversation.lastMessage?.id === messageId
        ? {
            ...conversation,
            lastMessage: {
              ...conversation.lastMessage,
              preview: content.slice(0, MESSAGE_PREVIEW_LENGTH),
              deleted,
              attachmentNames: deleted ? [] : conversation.lastMessage.attachmentNames,
            },
          }
        : conversation,
    ),
  );
}

/** The user's own read state moved (this tab's read, or `conversation:read` from another device). */
export function applyReadToList(queryClient: QueryClient, conversationId: string, read: ReadState): void {
  const before = cachedConversation(queryClient, conversationId);
  if (before && mentionCountUncertain(before, read)) void refreshConversationList(queryClient);
  patchQueryData(queryClient, listKey(), (data) => patchConversationInPages(data, conversationId, (conversation) => applyReadState(conversation, read)));
}

/** An unread message from someone else started (+1) or stopped (-1) mentioning the user: an edit or a delete. */
export function changeMentionCount(queryClient: QueryClient, conversationId: string, seq: number, delta: 1 | -1): void {
  // A step, not a merge: applied again over a fetch that already saw the change it would count it
  // twice, so a fetch in flight is started over instead.
  if (queryClient.isFetching({ queryKey: listKey(), exact: true }) > 0) {
    void refreshConversationList(queryClient);
    return;
  }
  queryClient.setQueryData(listKey(), (data) => patchConversationInPages(data, conversationId, (conversation) => applyMentionChange(conversation, seq, delta)));
}

/** A participant's read marker only moves forward. */
export function advanceParticipantMarker(detail: ConversationDetail | undefined, userId: string, seq: number): ConversationDetail | undefined {
  if (!detail) return detail;
  const index = detail.participants.findIndex((participant) => participant.user.id === userId);
  const participant = detail.participants[index];
  if (!participant || (participant.lastReadSeq ?? 0) >= seq) return detail;
  const participants = [...detail.participants];
  participants[index] = { ...participant, lastReadSeq: seq };
  return { ...detail, participants };
}

/** Another participant read up to `seq` (`receipt:updated`). */
export function recordParticipantRead(queryClient: QueryClient, conversationId: string, userId: string, seq: number): void {
  patchQueryData(queryClient, conversationDetailOptions(conversationId).queryKey, (detail) => advanceParticipantMarker(detail, userId, seq));
}

/** Someone was removed from a group by this user: out of the panel at once; the refetch brings the authoritative count. */
export function dropParticipant(queryClient: QueryClient, conversationId: string, userId: string): void {
  queryClient.setQueryData(conversationDetailOptions(conversationId).queryKey, (detail) =>
    detail
      ? {
          ...detail,
          participants: detail.participants.filter((participant) => participant.user.id !== userId),
          participantCount: Math.max(0, detail.participantCount - 1),
        }
      : detail,
  );
  void refetchAfterChange(queryClient, { queryKey: conversationDetailOptions(conversationId).queryKey });
  void refreshConversationList(queryClient);
}

/** Everything about one conversation (members, title) changed on the server. */
export function refreshConversation(queryClient: QueryClient, conversationId: string): void {
  void refreshConversationList(queryClient);
  void refetchAfterChange(queryClient, { queryKey: conversationDetailOptions(conversationId).queryKey });
}

/** After a reconnect or wake: nothing polls these, and events may have been lost meanwhile. */
export function refreshAllConversations(queryClient: QueryClient): void {
  void refreshConversationList(queryClient);
  void refetchAfterChange(queryClient, { queryKey: conversationKeys.details() });
}

/** The user's notification level or mute of a conversation changed (this tab's answer, or `conversation:notifications` from another). */
export function storeNotifications(queryClient: QueryClient, conversationId: string, notifications: ConversationNotifications): void {
  patchQueryData(queryClient, listKey(), (data) =>
    patchConversationInPages(data, conversationId, (conversation) => applyNotifications(conversation, notifications)),
  );
  patchQueryData(queryClient, conversationDetailOptions(conversationId).queryKey, (detail) => detail && applyNotifications(detail, notifications));
}
