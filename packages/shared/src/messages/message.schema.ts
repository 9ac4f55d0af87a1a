import { z } from 'zod';
import { isoDateTimeSchema, NO_NUL_MESSAGE, NOT_WELL_FORMED_MESSAGE, noNul, uuidSchema, wellFormed } from '../common/id.schema';
import { uploadedFileSchema } from '../files/files.schema';
import { messageReactionSchema } from '../reactions/reaction.schema';
import { publicUserSchema } from '../users/user.schema';

export const MESSAGE_CONTENT_MAX = 4000;
export const MESSAGE_PAGE_DEFAULT = 50;
export const MESSAGE_PAGE_MAX = 100;
/** How long after sending a message its author may still edit it. */
export const MESSAGE_EDIT_WINDOW_HOURS = 24;

/** Message text, trimmed; empty only where the message's files stand in for it. */
const messageTextSchema = z
  .string({ error: 'content must be text' })
  .trim()
  .max(MESSAGE_CONTENT_MAX, { error: `Message must be at most ${MESSAGE_CONTENT_MAX} characters` })
  .refine(noNul, { error: `Message ${NO_NUL_MESSAGE}` })
  .refine(wellFormed, { error: `Message ${NOT_WELL_FORMED_MESSAGE}` });

export const messageContentSchema = messageTextSchema.min(1, { error: 'Message cannot be empty' });

/** The content of a send, which may be empty when the message carries files (see withContentOrAttachments). */
export const sendContentSchema = messageTextSchema.default('');

export const MESSAGE_ATTACHMENTS_MAX = 10;

/** Files uploaded with POST /api/files and not yet attached, by the sender. */
export const attachmentIdsSchema = z
  .array(uuidSchema, { error: 'attachmentIds must be an array of file ids' })
  .max(MESSAGE_ATTACHMENTS_MAX, { error: `At most ${MESSAGE_ATTACHMENTS_MAX} attachments per message` })
  .refine((ids) => new Set(ids).size === ids.length, { error: 'attachmentIds must not repeat a file' });

/** At most this many people named in one message. */
export const MENTION_USER_IDS_MAX = 50;
/** In groups with more participants than this, only owners may mention everyone. */
export const EVERYONE_MENTION_OPEN_MAX = 50;

/**
 * Who a message mentions. The text holds "@Display Name" as typed; this is what counts. Only current
 * members may be named, and `everyone` only in groups (see EVERYONE_MENTION_OPEN_MAX).
 */
export const mentionsSchema = z.object({
  userIds: z
    .array(uuidSchema, { error: 'mentions.userIds must be an array of user ids' })
    .max(MENTION_USER_IDS_MAX, { error: `At most ${MENTION_USER_IDS_MAX} people can be mentioned in one message` })
    .refine((ids) => new Set(ids).size === ids.length, { error: 'mentions.userIds must not repeat a user' })
    .default([]),
  /** @here / @everyone: every member but the sender. */
  everyone: z.boolean({ error: 'mentions.everyone must be true or false' }).default(false),
});

/** A send needs text, files, or both. */
export const withContentOrAttachments = <T extends { content: string; attachmentIds?: string[] | undefined }>(send: T) =>
  send.content.length > 0 || (send.attachmentIds?.length ?? 0) > 0;
export const EMPTY_SEND_ERROR = { error: 'Message cannot be empty', path: ['content'] };

/** A file of a message, as the upload answered it; its bytes are at GET /api/files/{id}. */
export const messageAttachmentSchema = uploadedFileSchema;

/** What a client may send; 'system' messages are written by the server only. */
export const contentTypeSchema = z.literal('text', { error: 'contentType must be "text"' });
export const messageContentTypeSchema = z.enum(['text', 'system']);

/**
 * The structured body of a system message: a change to the group, made by the message's sender
 * (the actor). `users` carries the names as they were, so a removed member still reads by name.
 */
export const systemEventSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('renamed'), title: z.string(), previousTitle: z.string() }),
  z.object({ kind: z.literal('visibility_changed'), isPublic: z.boolean() }),
  z.object({ kind: z.literal('members_added'), users: z.array(publicUserSchema).min(1) }),
  z.object({ kind: z.literal('member_removed'), users: z.array(publicUserSchema).length(1) }),
  z.object({ kind: z.literal('member_left'), newOwner: publicUserSchema.nullable() }),
  z.object({ kind: z.literal('member_joined') }),
]);
export type SystemEvent = z.infer<typeof systemEventSchema>;
export type SystemEventKind = SystemEvent['kind'];

/**
 * The highest seq up to which the sending client holds every message of the conversation. A send
 * moves the sender's read marker over the new message only when nothing before it is missing.
 */
export const readUpToSeqSchema = z
  .number({ error: 'readUpToSeq must be a number' })
  .int({ error: 'readUpToSeq must be an integer' })
  .min(0, { error: 'readUpToSeq must be at least 0' })
  .max(Number.MAX_SAFE_INTEGER);

/** On a thread root: its replies so far. */
export const threadSummarySchema = z.object({
  /** Live replies (a deleted reply no longer counts). */
  replyCount: z.number().int().min(0),
  lastReplyAt: isoDateTimeSchema.nullable(),
  /** The first 5 distinct repliers, in the order they first replied. */
  participantIds: z.array(uuidSchema),
});

export const messageSchema = z.object({
  id: uuidSchema,
  conversationId: uuidSchema,
  /** Position in the conversation: 1, 2, 3… with no gaps. Clients order by it. */
  seq: z.number().int().positive(),
  senderId: uuidSchema,
  sender: publicUserSchema,
  /** Empty once the message is deleted. For system messages, a plain-text rendering of `system`. */
  content: z.string(),
  contentType: messageContentTypeSchema,
  /** Set exactly when contentType is 'system'. */
  system: systemEventSchema.nullable(),
  clientMessageId: uuidSchema,
  createdAt: isoDateTimeSchema,
  updatedAt: isoDateTimeSchema,
  editedAt: isoDateTimeSchema.nullable(),
  deletedAt: isoDateTimeSchema.nullable(),
  /** Files of the message, in upload order; empty once the message is deleted. */
  attachments: z.array(messageAttachmentSchema),
  /** Who it mentions (the sender may be among them; that never counts for them); empty when none or deleted. */
  mentions: z.object({ userIds: z.array(uuidSchema), everyone: z.boolean() }),
  /** Emoji reactions as this viewer sees them, ordered by first reaction; empty once the message is deleted. */
  reactions: z.array(messageReactionSchema),
  /** Grows with every reaction change; a `message:reactions` event with a version at or below it is stale. */
  reactionsVersion: z.number().int().min(0),
  /** Set on a thread reply: the root it answers. Replies are left out of history pages unless asked for. */
  threadRootId: uuidSchema.nullable(),
  /** On a message that has (or had) replies: its thread's summary; null otherwise. */
  thread: threadSummarySchema.nullable(),
});

/** POST /api/conversations/:id/messages — the HTTP fallback of `message:send`. */
/** What a send carries over either transport (`message:send` adds the conversation id). */
export const sendMessageFields = {
  /** May be empty or absent when attachmentIds has a file. */
  content: sendContentSchema,
  /** A UUID the client makes once per message and reuses on every retry. */
  clientMessageId: uuidSchema,
  contentType: contentTypeSchema.default('text'),
  /** See readUpToSeqSchema: omitted, the sender's marker moves over the new message as before. */
  readUpToSeq: readUpToSeqSchema.optional(),
  attachmentIds: attachmentIdsSchema.optional(),
  mentions: mentionsSchema.optional(),
  /** A thread reply: the root it answers (a live text message of the same conversation that is not a reply). */
  threadRootId: uuidSchema.optional(),
};

export const sendMessageRequestSchema = z.object(sendMessageFields).refine(withContentOrAttachments, EMPTY_SEND_ERROR);

/** The new text; it may be empty when the message carries files (the server refuses it with 400 otherwise). */
export const editMessageRequestSchema = z.object({
  content: messageTextSchema,
  /** Omitted: the message's mentions stay as they were; given: they replace them. */
  mentions: mentionsSchema.optional(),
});

export const messageParamSchema = z.object({ id: uuidSchema, messageId: uuidSchema });

const seqParam = (name: string) =>
  z.coerce
    .number({ error: `${name} must be a number` })
    .int({ error: `${name} must be an integer` })
    .min(0, { error: `${name} must be at least 0` })
    .max(Number.MAX_SAFE_INTEGER);

export const messageHistoryQuerySchema = z
  .object({
    /** Older history: messages with seq below this, newest of them first returned last. */
    beforeSeq: seqParam('beforeSeq').optional(),
    /** Catch-up: messages with seq above this, oldest first. */
    afterSeq: seqParam('afterSeq').optional(),
    /** A jump (e.g. to a search result): the page centred on this seq, with hasMore and hasMoreAfter. */
    aroundSeq: seqParam('aroundSeq').optional(),
    /** Thread replies are left out of the latest, beforeSeq and aroundSeq pages unless this is true (afterSeq catch-up always has them). */
    includeReplies: z.stringbool({ error: 'includeReplies must be true or false' }).optional(),
    /** With afterSeq: also return edits and deletes of older messages made since this time. */
    updatedSince: z.iso.datetime({ offset: true, error: 'updatedSince must be an ISO date-time' }).optional(),
    limit: z.coerce
      .number({ error: 'limit must be a number' })
      .int({ error: 'limit must be an integer' })
      .min(1, { error: 'limit must be at least 1' })
      .max(MESSAGE_PAGE_MAX, { error: `limit must be at most ${MESSAGE_PAGE_MAX}` })
      .default(MESSAGE_PAGE_DEFAULT),
  })
  .refine((q) => q.beforeSeq === undefined || q.afterSeq === undefined, {
    error: 'Use beforeSeq or afterSeq, not both',
    path: ['afterSeq'],
  })
  .refine((q) => q.aroundSeq === undefined || (q.beforeSeq === undefined && q.afterSeq === undefined), {
    error: 'Use aroundSeq alone, without beforeSeq or afterSeq',
    path: ['aroundSeq'],
  });

export const messagePageSchema = z.object({
  /** Always in ascending seq order. */
  messages: z.array(messageSchema),
  /** Whether more messages exist in the direction asked (older for beforeSeq / the latest page / aroundSeq, newer for afterSeq). */
  hasMore: z.boolean(),
  /** Only with aroundSeq: whether newer messages exist after this page. */
  hasMoreAfter: z.boolean().optional(),
  /** Edits and deletes of messages at or below afterSeq since updatedSince. */
  updates: z.array(messageSchema),
  /** The conversation's newest seq when this page was read. */
  lastSeq: z.number().int(),
  /** Server time of this read: pass it as updatedSince next time. */
  syncedAt: isoDateTimeSchema,
});

/** GET /api/conversations/:id/messages/:rootId/replies — a thread, oldest first. */
export const threadRepliesQuerySchema = z.object({
  afterSeq: seqParam('afterSeq').optional(),
  limit: z.coerce
    .number({ error: 'limit must be a number' })
    .int({ error: 'limit must be an integer' })
    .min(1, { error: 'limit must be at least 1' })
    .max(MESSAGE_PAGE_MAX, { error: `limit must be at most ${MESSAGE_PAGE_MAX}` })
    .default(MESSAGE_PAGE_DEFAULT),
});
export const threadRootParamSchema = z.object({ id: uuidSchema, rootId: uuidSchema });
export const threadRepliesPageSchema = z.object({
  root: messageSchema,
  /** Ascending seq, after afterSeq. */
  replies: z.array(messageSchema),
  /** Whether newer replies exist after this page. */
  hasMore: z.boolean(),
});

export type Message = z.infer<typeof messageSchema>;
export type ThreadSummary = z.infer<typeof threadSummarySchema>;
export type ThreadRepliesQuery = z.infer<typeof threadRepliesQuerySchema>;
export type ThreadRepliesPage = z.infer<typeof threadRepliesPageSchema>;
export type MessageAttachment = z.infer<typeof messageAttachmentSchema>;
export type Mentions = z.infer<typeof mentionsSchema>;
export type SendMessageRequest = z.input<typeof sendMessageRequestSchema>;
export type EditMessageRequest = z.infer<typeof editMessageRequestSchema>;
export type MessageHistoryQuery = z.infer<typeof messageHistoryQuerySchema>;
export type MessagePage = z.infer<typeof messagePageSchema>;
