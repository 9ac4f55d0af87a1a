import { z } from 'zod';
import { isoDateTimeSchema, uuidSchema } from '../common/id.schema';
import {
  type ConversationReadEvent,
  type MarkReadResult,
  type ReceiptCountEvent,
  type ReceiptReadEvent,
  type ReceiptUpdatedEvent,
} from '../receipts/receipt.schema';
import {
  EMPTY_SEND_ERROR,
  messagePageSchema,
  messageSchema,
  sendMessageFields,
  threadSummarySchema,
  withContentOrAttachments,
} from '../messages/message.schema';
import type { ThreadReadState } from '../threads/thread.schema';
import type { ConversationNotificationsEvent } from '../notifications/notification.schema';
import { publicUserSchema } from '../users/user.schema';
import { presenceSchema } from '../presence/presence.schema';
import type { MessageReactionsEvent, ReactionEvent, ReactionState } from '../reactions/reaction.schema';

/** Socket.io namespace of the chat. */
export const CHAT_NAMESPACE = '/chat';

/** Error codes of socket `*:error` events and failed acks; docs/websocket-protocol.md explains each. */
export const SOCKET_ERROR_CODES = [
  'AUTH_FAILED',
  'TOKEN_EXPIRED',
  'VALIDATION_ERROR',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'NOT_IN_CONVERSATION',
  'CONVERSATION_NOT_FOUND',
  'MESSAGE_NOT_FOUND',
  'RATE_LIMITED',
  'EVERYONE_MENTION_FORBIDDEN',
  'TOO_MANY_REACTIONS',
  'CONNECTION_LIMIT',
  'PRESENCE_LIMIT',
  'SERVICE_UNAVAILABLE',
  'INTERNAL',
] as const;
export const socketErrorCodeSchema = z.enum(SOCKET_ERROR_CODES);
export type SocketErrorCode = z.infer<typeof socketErrorCodeSchema>;

// ---- client -> server ----

export const authEventSchema = z.object({ token: z.string().min(1).max(4096) });
export const subscribeEventSchema = z.object({ conversationId: uuidSchema });
export const sendMessageEventSchema = z.object({ conversationId: uuidSchema, ...sendMessageFields }).refine(withContentOrAttachments, EMPTY_SEND_ERROR);
/** Typing in a thread names its root; without it, typing in the conversation's main list. */
export const typingEventSchema = z.object({ conversationId: uuidSchema, threadRootId: uuidSchema.optional() });
export const heartbeatEventSchema = z.object({ status: z.enum(['online', 'away']) });
/** How many users one socket may watch the presence of (a sidebar's contacts plus an open group). */
export const PRESENCE_WATCH_MAX = 500;
/** `presence:subscribe` / `presence:unsubscribe`: whose presence this socket shows. */
export const presenceWatchEventSchema = z.object({
  userIds: z
    .array(uuidSchema)
    .min(1, { error: 'userIds is required' })
    .max(PRESENCE_WATCH_MAX, { error: `At most ${PRESENCE_WATCH_MAX} user ids` })
    .transform((ids) => [...new Set(ids)]),
});
export const SYNC_MAX_CONVERSATIONS = 100;
export const syncEventSchema = z.object({
  conversations: z
    .array(
      z.object({
        conversationId: uuidSchema,
        afterSeq: z.number().int().min(0),
        updatedSince: isoDateTimeSchema.optional(),
      }),
    )
    .max(SYNC_MAX_CONVERSATIONS),
});

// ---- server -> client ----

export const authSuccessEventSchema = z.object({ userId: uuidSchema });
export const socketErrorSchema = z.object({
  code: socketErrorCodeSchema,
  error: z.string(),
  /** Seconds to wait, with RATE_LIMITED. */
  retryAfter: z.number().int().optional(),
  /** The client event that failed. */
  event: z.string().optional(),
  details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export const messageReceivedEventSchema = z.object({
  message: messageSchema,
  /** On a new reply: its root's summary after it, so the "N replies" line moves with no second event. */
  rootThread: threadSummarySchema.optional(),
});
export const messageSentEventSchema = z.object({
  clientMessageId: uuidSchema,
  messageId: uuidSchema,
  conversationId: uuidSchema,
  seq: z.number().int(),
  status: z.literal('delivered'),
  /** When the message was stored. */
  timestamp: isoDateTimeSchema,
  /** True when this clientMessageId had already been stored: the original is returned. */
  duplicate: z.boolean(),
});
/** The ack of `message:send` carries the stored message as well; the `message:sent` event does not (one copy per send). */
export const messageSendAckSchema = messageSentEventSchema.extend({ message: messageSchema, rootThread: threadSummarySchema.optional() });
/** The ack of `presence:subscribe`: the current presence of each watched user, as the subscriber may see it. */
export const presenceWatchResultSchema = z.object({ presences: z.array(presenceSchema) });
export const messageErrorEventSchema = socketErrorSchema.extend({ clientMessageId: z.string().optional() });
export const messageUpdatedEventSchema = z.object({ message: messageSchema });
export const messageDeletedEventSchema = z.object({
  conversationId: uuidSchema,
  messageId: uuidSchema,
  seq: z.number().int(),
  deletedAt: isoDateTimeSchema,
  /** The deleted message's mentions as they were, so a mention count can drop without a refetch. */
  mentions: messageSchema.shape.mentions,
});
export const typingBroadcastSchema = z.object({ conversationId: uuidSchema, userId: uuidSchema, threadRootId: uuidSchema.optional() });
export const presenceUpdateEventSchema = z.object({
  userId: uuidSchema,
  status: z.enum(['online', 'away', 'offline']),
  lastActivity: isoDateTimeSchema.optional(),
  /** With offline: when the user was last online. */
  lastSeenAt: isoDateTimeSchema.optional(),
});
/** Something about a conversation changed (created, renamed, members); clients refetch it. */
export const conversationChangedEventSchema = z.object({
  conversationId: uuidSchema,
  kind: z.enum(['created', 'updated', 'members']),
});
export const conversationRemovedEventSchema = z.object({
  conversationId: uuidSchema,
  reason: z.enum(['left', 'removed', 'deleted']),
  /** Who removed the user or deleted the group (absent for 'left'). */
  by: publicUserSchema.optional(),
  /** The group's title, so the user can be told what they lost access to. */
  title: z.string().nullable().optional(),
});
/** A reply was deleted: its root's "N replies" line moves (a new reply carries the summary in `message:received`). */
export const threadUpdatedEventSchema = z.object({ conversationId: uuidSchema, rootId: uuidSchema, thread: threadSummarySchema });
/** A user changed their profile (display name): refetch what shows it. */
export const userUpdatedEventSchema = z.object({ user: publicUserSchema });
export const syncResultSchema = z.object({
  conversations: z.array(messagePageSchema.extend({ conversationId: uuidSchema })),
});

/** The answer to every acknowledged client event. */
export type Ack<T extends object = object> = ({ ok: true } & T) | ({ ok: false } & z.infer<typeof socketErrorSchema>);

export type AuthEvent = z.infer<typeof authEventSchema>;
export type SubscribeEvent = z.infer<typeof subscribeEventSchema>;
export type SendMessageEvent = z.input<typeof sendMessageEventSchema>;
export type TypingEvent = z.infer<typeof typingEventSchema>;
export type HeartbeatEvent = z.infer<typeof heartbeatEventSchema>;
export type SyncEvent = z.infer<typeof syncEventSchema>;
export type SocketError = z.infer<typeof socketErrorSchema>;
export type MessageSentEvent = z.infer<typeof messageSentEventSchema>;
export type MessageSendAck = z.infer<typeof messageSendAckSchema>;
export type PresenceWatchEvent = z.input<typeof presenceWatchEventSchema>;
export type PresenceWatchResult = z.infer<typeof presenceWatchResultSchema>;
export type MessageErrorEvent = z.infer<typeof messageErrorEventSchema>;
export type MessageDeletedEvent = z.infer<typeof messageDeletedEventSchema>;
export type TypingBroadcast = z.infer<typeof typingBroadcastSchema>;
export type PresenceUpdateEvent = z.infer<typeof presenceUpdateEventSchema>;
export type ConversationChangedEvent = z.infer<typeof conversationChangedEventSchema>;
export type ConversationRemovedEvent = z.infer<typeof conversationRemovedEventSchema>;
export type SyncResult = z.infer<typeof syncResultSchema>;
export type UserUpdatedEvent = z.infer<typeof userUpdatedEventSchema>;
export type ThreadUpdatedEvent = z.infer<typeof threadUpdatedEventSchema>;

/** Events the client emits; the last argument is the acknowledgement callback. */
export interface ClientToServerEvents {
  auth: (payload: AuthEvent, ack?: (result: Ack<{ userId: string }>) => void) => void;
  subscribe: (payload: SubscribeEvent, ack?: (result: Ack<{ lastSeq: number }>) => void) => void;
  unsubscribe: (payload: SubscribeEvent, ack?: (result: Ack) => void) => void;
  'message:send': (payload: SendMessageEvent, ack?: (result: Ack<MessageSendAck>) => void) => void;
  'typing:start': (payload: TypingEvent) => void;
  'typing:stop': (payload: TypingEvent) => void;
  'presence:heartbeat': (payload: HeartbeatEvent, ack?: (result: Ack) => void) => void;
  'presence:subscribe': (payload: PresenceWatchEvent, ack?: (result: Ack<PresenceWatchResult>) => void) => void;
  'presence:unsubscribe': (payload: PresenceWatchEvent, ack?: (result: Ack) => void) => void;
  sync: (payload: SyncEvent, ack?: (result: Ack<SyncResult>) => void) => void;
  'receipt:read': (payload: ReceiptReadEvent, ack?: (result: Ack<MarkReadResult>) => void) => void;
  'reaction:add': (payload: ReactionEvent, ack?: (result: Ack<ReactionState>) => void) => void;
  'reaction:remove': (payload: ReactionEvent, ack?: (result: Ack<ReactionState>) => void) => void;
}

/** Events the server emits. */
export interface ServerToClientEvents {
  'auth:success': (payload: z.infer<typeof authSuccessEventSchema>) => void;
  'auth:error': (payload: SocketError) => void;
  'message:received': (payload: z.infer<typeof messageReceivedEventSchema>) => void;
  'message:sent': (payload: MessageSentEvent) => void;
  'message:error': (payload: MessageErrorEvent) => void;
  'message:updated': (payload: z.infer<typeof messageUpdatedEventSchema>) => void;
  'message:deleted': (payload: MessageDeletedEvent) => void;
  'typing:started': (payload: TypingBroadcast) => void;
  'typing:stopped': (payload: TypingBroadcast) => void;
  'presence:update': (payload: PresenceUpdateEvent) => void;
  'conversation:changed': (payload: ConversationChangedEvent) => void;
  'conversation:removed': (payload: ConversationRemovedEvent) => void;
  'receipt:updated': (payload: ReceiptUpdatedEvent) => void;
  'receipt:count': (payload: ReceiptCountEvent) => void;
  'conversation:read': (payload: ConversationReadEvent) => void;
  'conversation:notifications': (payload: ConversationNotificationsEvent) => void;
  'user:updated': (payload: UserUpdatedEvent) => void;
  'message:reactions': (payload: MessageReactionsEvent) => void;
  'thread:updated': (payload: ThreadUpdatedEvent) => void;
  /** The user read a thread on another device. */
  'thread:read': (payload: ThreadReadState) => void;
  error: (payload: SocketError) => void;
}
