import { z } from 'zod';
import { uuidSchema } from '../common/id.schema';
import { messageSchema, threadSummarySchema } from '../messages/message.schema';

export const THREAD_PAGE_DEFAULT = 30;
export const THREAD_PAGE_MAX = 100;

/** POST /api/conversations/:id/threads/:rootId/read: the newest reply the reader has seen. */
export const threadReadRequestSchema = z.object({
  seq: z
    .number({ error: 'seq must be a number' })
    .int({ error: 'seq must be an integer' })
    .min(0, { error: 'seq must be at least 0' })
    .max(Number.MAX_SAFE_INTEGER),
});

/** A follower's read state of one thread (also the `thread:read` event to their other devices). */
export const threadReadStateSchema = z.object({
  conversationId: uuidSchema,
  rootId: uuidSchema,
  /** False when the reader does not follow the thread: nothing is stored for them. */
  following: z.boolean(),
  lastReadSeq: z.number().int(),
  /** Live replies of others above lastReadSeq. */
  unreadCount: z.number().int(),
  /** The conversation's mention count after this read (mentions in replies count until the thread is read). */
  mentionCount: z.number().int(),
});

export const listThreadsQuerySchema = z.object({
  cursor: z.string().min(1).max(512).optional(),
  limit: z.coerce
    .number({ error: 'limit must be a number' })
    .int({ error: 'limit must be an integer' })
    .min(1, { error: 'limit must be at least 1' })
    .max(THREAD_PAGE_MAX, { error: `limit must be at most ${THREAD_PAGE_MAX}` })
    .default(THREAD_PAGE_DEFAULT),
});

export const followedThreadSchema = z.object({
  conversationId: uuidSchema,
  root: messageSchema,
  thread: threadSummarySchema,
  lastReadSeq: z.number().int(),
  unreadCount: z.number().int(),
});

/** GET /api/threads: threads the user follows, unread ones first, then by last reply. */
export const threadPageSchema = z.object({
  threads: z.array(followedThreadSchema),
  nextCursor: z.string().nullable(),
});

export type ThreadReadRequest = z.infer<typeof threadReadRequestSchema>;
export type ThreadReadState = z.infer<typeof threadReadStateSchema>;
export type ListThreadsQuery = z.infer<typeof listThreadsQuerySchema>;
export type FollowedThread = z.infer<typeof followedThreadSchema>;
export type ThreadPage = z.infer<typeof threadPageSchema>;
