import {
  editMessageRequestSchema,
  MESSAGE_PAGE_DEFAULT,
  markReadResultSchema,
  messagePageSchema,
  messageReceiptsSchema,
  messageSchema,
  type Mentions,
  type SendMessageRequest,
  threadReadStateSchema,
  threadRepliesPageSchema,
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
    // Replies too: the timeline holds the whole gapless stream (its catch-up relies on it) and the list leaves them out.
    const params = new URLSearchParams({ limit: String(limit), includeReplies: 'true' });
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

  /** A thread: its root and the replies after `afterSeq`, oldest first. */
  replies: (conversationId: string, rootId: string, { afterSeq = 0, limit = 100, signal }: { afterSeq?: number; limit?: number; signal?: AbortSignal } = {}) =>
    apiClient.get(
      `${messagesPath(conversationId, `/${encodeURIComponent(rootId)}/replies`)}?${new URLSearchParams({ afterSeq: String(afterSeq), limit: String(limit) })}`,
      {
        schema: threadRepliesPageSchema,
        signal,
      },
    ),

  markThreadRead: (conversationId: string, rootId: string, seq: number) =>
    apiClient.post(
      `/api/conversations/${encodeURIComponent(conversationId)}/threads/${encodeURIComponent(rootId)}/read`,
      { seq },
      { schema: threadReadStateSchema },
    ),

  receipts: (messageId: string, signal?: AbortSignal) =>
    apiClient.get(`/api/messages/${encodeURIComponent(messageId)}/receipts`, { schema: messageReceiptsSchema, signal }),
};
