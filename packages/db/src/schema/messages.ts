import { getTableColumns, sql } from 'drizzle-orm';
import { bigint, boolean, customType, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
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
    // Catch-up of edits, deletes and reactions: "what changed in this conversation since T".
    index('messages_conversation_updated_idx')
      .on(t.conversationId, t.updatedAt)
      .where(sql`${t.editedAt} is not null or ${t.deletedAt} is not null or ${t.reactionsVersion} > 0`),
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
  },
  (t) => [primaryKey({ columns: [t.userId, t.conversationId, t.seq] }), index('message_mentions_message_idx').on(t.messageId)],
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
