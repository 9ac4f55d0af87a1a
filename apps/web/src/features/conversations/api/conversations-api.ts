import {
  type AddParticipantsRequest,
  CONVERSATION_PAGE_DEFAULT,
  type CreateConversationRequest,
  conversationDetailSchema,
  conversationNotificationsSchema,
  conversationPageSchema,
  conversationPreviewSchema,
  type UpdateConversationNotificationsRequest,
  type UpdateConversationRequest,
  userSearchResponseSchema,
} from '@chat/shared';
import { apiClient } from '../../../lib/api-client';

const BASE = '/api/conversations';

function conversationPath(id: string, suffix = ''): string {
  return `${BASE}/${encodeURIComponent(id)}${suffix}`;
}

export const conversationsApi = {
  list: ({ cursor, limit = CONVERSATION_PAGE_DEFAULT, signal }: { cursor?: string | null; limit?: number; signal?: AbortSignal }) => {
    const params = new URLSearchParams({ limit: String(limit) });
    if (cursor) params.set('cursor', cursor);
    return apiClient.get(`${BASE}?${params}`, { schema: conversationPageSchema, signal });
  },

  get: (id: string, signal?: AbortSignal) => apiClient.get(conversationPath(id), { schema: conversationDetailSchema, signal }),

  /** 201 with a new conversation, or 200 with the existing direct conversation for the pair. */
  create: (input: CreateConversationRequest) => apiClient.post(BASE, input, { schema: conversationDetailSchema }),

  update: (id: string, changes: UpdateConversationRequest) =>
    apiClient.request(conversationPath(id), { method: 'PATCH', body: changes, schema: conversationDetailSchema }),

  remove: (id: string) => apiClient.request<void>(conversationPath(id), { method: 'DELETE' }),

  /** Name and member count for an invite link: public groups, or any conversation you are in; 404 otherwise. */
  preview: (id: string, signal?: AbortSignal) => apiClient.get(conversationPath(id, '/preview'), { schema: conversationPreviewSchema, signal }),

  join: (id: string) => apiClient.post(conversationPath(id, '/join'), undefined, { schema: conversationDetailSchema }),

  leave: (id: string) => apiClient.request<void>(conversationPath(id, '/leave'), { method: 'DELETE' }),

  addParticipants: (id: string, input: AddParticipantsRequest) =>
    apiClient.post(conversationPath(id, '/participants'), input, { schema: conversationDetailSchema }),

  removeParticipant: (id: string, userId: string) =>
    apiClient.request<void>(conversationPath(id, `/participants/${encodeURIComponent(userId)}`), { method: 'DELETE' }),

  /** Answers the conversation's new notification state. */
  updateNotifications: (id: string, changes: UpdateConversationNotificationsRequest) =>
    apiClient.request(conversationPath(id, '/notifications'), { method: 'PATCH', body: changes, schema: conversationNotificationsSchema }),

  searchUsers: (query: string, signal?: AbortSignal) =>
    apiClient.get(`/api/users/search?${new URLSearchParams({ q: query })}`, { schema: userSearchResponseSchema, signal }),
};
