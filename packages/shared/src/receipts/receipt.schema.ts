import { z } from 'zod';
import { isoDateTimeSchema, uuidSchema } from '../common/id.schema';
import { publicUserSchema } from '../users/user.schema';

/** Groups this size or larger get batched `receipt:count` instead of a `receipt:updated` per reader. */
export const RECEIPT_BATCH_THRESHOLD = 10;

/** Client -> server: "I have read up to and including this message". */
export const receiptReadEventSchema = z.object({
  conversationId: uuidSchema,
  messageId: uuidSchema,
});

export const markReadRequestSchema = z.object({ messageId: uuidSchema });

export const markReadResultSchema = z.object({
  conversationId: uuidSchema,
  lastReadSeq: z.number().int(),
  unreadCount: z.number().int(),
  /** Unread messages that mention the reader or everyone. */
  mentionCount: z.number().int(),
});

/** To the conversation (1:1 and small groups), right away: a reader's marker moved. */
export const receiptUpdatedEventSchema = z.object({
  conversationId: uuidSchema,
  /** The message read up to; everything at or below `seq` is read by `userId`. */
  messageId: uuidSchema,
  seq: z.number().int(),
  userId: uuidSchema,
  readAt: isoDateTimeSchema,
});

/** To the conversation (groups of 10+), after the batch flush: readers of its newest message. */
export const receiptCountEventSchema = z.object({
  conversationId: uuidSchema,
  messageId: uuidSchema,
  seq: z.number().int(),
  count: z.number().int(),
});

/** To the reader's own devices: their read state of a conversation changed (clears badges everywhere). */
export const conversationReadEventSchema = markReadResultSchema;

export const messageReceiptsSchema = z.object({
  receipts: z.array(z.object({ userId: uuidSchema, user: publicUserSchema, readAt: isoDateTimeSchema })),
  /** Participants who could read it: everyone but the sender, minus those who hide read receipts. */
  totalCount: z.number().int(),
  readCount: z.number().int(),
});

export const messageIdParamSchema = z.object({ id: uuidSchema });

export type ReceiptReadEvent = z.infer<typeof receiptReadEventSchema>;
export type MarkReadResult = z.infer<typeof markReadResultSchema>;
export type ReceiptUpdatedEvent = z.infer<typeof receiptUpdatedEventSchema>;
export type ReceiptCountEvent = z.infer<typeof receiptCountEventSchema>;
export type ConversationReadEvent = z.infer<typeof conversationReadEventSchema>;
export type MessageReceipts = z.infer<typeof messageReceiptsSchema>;
