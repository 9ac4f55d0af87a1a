import { getTableColumns, sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { conversations } from './conversations';
import { users } from './users';

export const messageContentTypeEnum = pgEnum('message_content_type', ['text', 'system']);

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

export const messages = pgTable(
  'messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    senderId: uuid('sender_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    content: text('content').notNull(),
    contentType: messageContentTypeEnum('content_type').notNull().default('text'),
    // The structured body of a system message (a change to the group; its shape is the shared
    // schema's systemEventSchema); null for text.
    system: jsonb('system').$type<{ kind: string } & Record<string, unknown>>(),
    clientMessageId: uuid('client_message_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    editedAt: timestamp('edited_at', { withTimezone: true }),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    // Who the message mentions, as the sender gave it (the sender may be listed). What is counted
    // lives in message_mentions (one row per other mentioned user) and in mentions_everyone.
    mentionedUserIds: uuid('mentioned_user_ids')
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    mentionsEveryone: boolean('mentions_everyone').notNull().default(false),
    // Bumped by every reaction change: it locks the row (so totals are exact) and orders the
    // message:reactions events (clients keep the newest). See docs/decisions.md "Reactions".
    reactionsVersion: integer('reactions_version').notNull().default(0),
    // A reply names the root of its thread: a live text message of the same conversation that is
    // not a reply itself (threads are one level deep). Null for messages of the main list.
    threadRootId: uuid('thread_root_id').references((): AnyPgColumn => messages.id, { onDelete: 'cascade' }),
    // On a root only: its thread's summary, kept by the send statement (the conversation row lock
    // orders concurrent repliers, so the count is exact) and by deletes of replies.
    replyCount: integer('reply_count').notNull().default(0),
    lastReplyAt: timestamp('last_reply_at', { withTimezone: true }),
    // The first 5 distinct repliers, in the order they first replied.
    threadParticipantIds: uuid('thread_participant_ids')
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    // Full-text search: English stems (weight A) plus the exact words, so names and words of other
    // languages match too. A generated column needs literal configs; see docs/decisions.md "Search".
    // System messages get an empty vector: they are never search results.
    searchVector: tsvector('search_vector').generatedAlwaysAs(
      sql`case when content_type = 'text' then setweight(to_tsvector('english'::regconfig, content), 'A') || to_tsvector('simple'::regconfig, content) else ''::tsvector end`,
    ),
  },
  (t) => [
    // Ordering guarantee: one seq per conversation, gapless by construction.
    uniqueIndex('messages_conversation_seq_key').on(t.conversationId, t.seq),
    // Exactly-once guarantee: a sender's clientMessageId is stored once, whatever the retries.
    uniqueIndex('messages_sender_client_id_key').on(t.senderId, t.clientMessageId),
    // Unread counts subtract deleted messages above a reader's marker; these are few.
    index('messages_conversation_deleted_seq_idx')
      .on(t.conversationId, t.seq)
      .where(sql`${t.deletedAt} is not null`),
    // Catch-up of edits, deletes, reactions and thread summaries: "what changed in this conversation
    // since T" (a reply moves its root's summary and updated_at).
    index('messages_conversation_updated_idx')
      .on(t.conversationId, t.updatedAt)
      .where(sql`${t.editedAt} is not null or ${t.deletedAt} is not null or ${t.reactionsVersion} > 0 or ${t.lastReplyAt} is not null`),
    // A thread's replies in order (the thread page, a follower's unread count).
    index('messages_thread_seq_idx')
      .on(t.threadRootId, t.seq)
      .where(sql`${t.threadRootId} is not null`),
    // Unread counts subtract the live replies above a reader's marker (only when there are any).
    index('messages_conversation_reply_seq_idx')
      .on(t.conversationId, t.seq)
      .where(sql`${t.threadRootId} is not null and ${t.deletedAt} is null`),
    index('messages_search_vector_idx').using('gin', t.searchVector),
    // Mention counts add the live @everyone messages above a reader's marker; these are few.
    index('messages_conversation_everyone_seq_idx')
      .on(t.conversationId, t.seq)
      .where(sql`${t.mentionsEveryone} and ${t.deletedAt} is null`),
  ],
);

/**
 * One row per user a live message mentions, the sender excepted. It exists only to count: a
 * reader's mention count is their rows above their read marker (plus the @everyone messages), so a
 * send writes one row per mentioned user and never one per member.
 */
export const messageMentions = pgTable(
  'message_mentions',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    messageId: uuid('message_id')
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    // Set for a mention in a thread reply: it counts until the reader's thread marker passes it,
    // not their conversation marker.
    threadRootId: uuid('thread_root_id'),
  },
  (t) => [primaryKey({ columns: [t.userId, t.conversationId, t.seq] }), index('message_mentions_message_idx').on(t.messageId)],
);

/**
 * Who follows a thread, with their thread read marker. The root's author, every replier and everyone
 * mentioned in a reply follow (written by the send statement); anyone in the conversation may
 * follow or unfollow. Thread unread = live replies of others above last_read_seq.
 */
export const threadFollows = pgTable(
  'thread_follows',
  {
    rootId: uuid('root_id')
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    lastReadSeq: bigint('last_read_seq', { mode: 'number' }).notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.rootId, t.userId] }), index('thread_follows_user_idx').on(t.userId, t.conversationId)],
);

/** Per-reader receipts, kept for 1:1 audit; read state itself lives in the participant's marker. */
export const readReceipts = pgTable(
  'read_receipts',
  {
    messageId: uuid('message_id')
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    readAt: timestamp('read_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.messageId, t.userId] }), index('read_receipts_user_idx').on(t.userId)],
);

// The search vector is read only by the search query; every other read leaves it out.
const { searchVector: _searchVector, ...messageColumnsWithoutVector } = getTableColumns(messages);
/** The columns of a message as the app reads them (all but search_vector). */
export const messageColumns = messageColumnsWithoutVector;

export type MessageRow = Omit<typeof messages.$inferSelect, 'searchVector'>;
export type ThreadFollowRow = typeof threadFollows.$inferSelect;
