import {
  editMessageRequestSchema,
  MESSAGE_PAGE_DEFAULT,
  markReadResultSchema,
  messagePageSchema,
  messageReceiptsSchema,
  messageSchema,
  type Mentions,
  type SendMessageRequest,
} from '@chat/shared';
import { apiClient } from '../../../lib/api-client';

function messagesPath(conversationId: string, suffix = ''): string {
  return `/api/conversations/${encodeURIComponent(conversationId)}/messages${suffix}`;
}

export interface HistoryQuery {
  beforeSeq?: number;
  afterSeq?: number;
  /** A page centred on this seq (opening at a search result); alone, without beforeSeq or afterSeq. */
  aroundSeq?: number;
  updatedSince?: string;
  limit?: number;
  signal?: AbortSignal;
}

export const messagesApi = {
  /** No cursor: the latest page. beforeSeq: older history. afterSeq: catch-up. aroundSeq: a jump. */
  history: (conversationId: string, { beforeSeq, afterSeq, aroundSeq, updatedSince, limit = MESSAGE_PAGE_DEFAULT, signal }: HistoryQuery = {}) => {
    const params = new URLSearchParams({ limit: String(limit) });
    if (beforeSeq !== undefined) params.set('beforeSeq', String(beforeSeq));
    if (afterSeq !== undefined) params.set('afterSeq', String(afterSeq));
    if (aroundSeq !== undefined) params.set('aroundSeq', String(aroundSeq));
    if (updatedSince) params.set('updatedSince', updatedSince);
    return apiClient.get(`${messagesPath(conversationId)}?${params}`, { schema: messagePageSchema, signal });
  },

  /** The HTTP fallback of `message:send`: 201 new, 200 when the clientMessageId was already stored. */
  send: (conversationId: string, input: SendMessageRequest, signal?: AbortSignal) =>
    apiClient.post(messagesPath(conversationId), input, { schema: messageSchema, signal }),

  /** `mentions` replace the message's; left out, they stay as they were. */
  edit: (conversationId: string, messageId: string, content: string, mentions?: Mentions) =>
    apiClient.request(messagesPath(conversationId, `/${encodeURIComponent(messageId)}`), {
      method: 'PATCH',
      body: editMessageRequestSchema.parse({ content, mentions }),
      schema: messageSchema,
    }),

  remove: (conversationId: string, messageId: string) =>
    apiClient.request<void>(messagesPath(conversationId, `/${encodeURIComponent(messageId)}`), { method: 'DELETE' }),

  markRead: (conversationId: string, messageId: string) =>
    apiClient.post(`/api/conversations/${encodeURIComponent(conversationId)}/read`, { messageId }, { schema: markReadResultSchema }),

  receipts: (messageId: string, signal?: AbortSignal) =>
    apiClient.get(`/api/messages/${encodeURIComponent(messageId)}/receipts`, { schema: messageReceiptsSchema, signal }),
};
