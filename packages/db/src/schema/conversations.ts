import { sql } from 'drizzle-orm';
import { bigint, boolean, check, integer, index, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { NOTIFICATION_LEVEL_VALUES, users } from './users';

export const conversationTypeEnum = pgEnum('conversation_type', ['direct', 'group']);
export const participantRoleEnum = pgEnum('participant_role', ['owner', 'member']);

export const conversations = pgTable(
  'conversations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    type: conversationTypeEnum('type').notNull(),
    title: text('title'),
    ownerId: uuid('owner_id').references(() => users.id, { onDelete: 'set null' }),
    // "<smaller user id>:<larger user id>" for direct chats, so one pair has one conversation.
    directKey: text('direct_key'),
    isPublic: boolean('is_public').notNull().default(false),
    // Per-conversation message counter: the next message gets last_seq + 1.
    lastSeq: bigint('last_seq', { mode: 'number' }).notNull().default(0),
    lastMessageId: uuid('last_message_id'),
    // Seq of the newest thread reply. Unread counts leave replies out, and look them up only when
    // this is above the reader's marker (as last_sent_seq does for own messages).
    lastReplySeq: bigint('last_reply_seq', { mode: 'number' }).notNull().default(0),
    // Current (not left) participants; kept in step by the same transactions that add or remove them.
    participantCount: integer('participant_count').notNull().default(0),
    // Sort key of the conversation list: the newest message, else creation. Written by every send,
    // so it is deliberately in no index: the row update stays HOT (see docs/decisions.md).
    lastActivityAt: timestamp('last_activity_at', { withTimezone: true }).notNull().defaultNow(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('conversations_direct_key_key')
      .on(t.directKey)
      .where(sql`${t.directKey} is not null`),
  ],
);

export const conversationParticipants = pgTable(
  'conversation_participants',
  {
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: participantRoleEnum('role').notNull().default('member'),
    joinedAt: timestamp('joined_at', { withTimezone: true }).notNull().defaultNow(),
    leftAt: timestamp('left_at', { withTimezone: true }),
    // Read marker: everything up to this seq is read. Only ever moves forward. A send writes only
    // the sender's row and a read only the reader's: no column here is copied from the conversation.
    lastReadSeq: bigint('last_read_seq', { mode: 'number' }).notNull().default(0),
    lastReadAt: timestamp('last_read_at', { withTimezone: true }),
    // Seq of the user's newest own message. Above last_read_seq only when a send could not move the
    // marker (the sender's client was missing earlier messages): then own messages are subtracted
    // from the unread count, and only then is that count looked up.
    lastSentSeq: bigint('last_sent_seq', { mode: 'number' }).notNull().default(0),
    // 'all' | 'mentions' | 'none'; null follows the user's default for the conversation's kind and size.
    notificationLevel: text('notification_level', { enum: NOTIFICATION_LEVEL_VALUES }),
    // Muted while in the future: the level stays, nothing notifies.
    mutedUntil: timestamp('muted_until', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.conversationId, t.userId] }),
    index('participants_active_user_idx')
      .on(t.userId, t.conversationId)
      .where(sql`${t.leftAt} is null`),
    check('participants_notification_level_check', sql`${t.notificationLevel} in ('all', 'mentions', 'none')`),
  ],
);

export type ConversationRow = typeof conversations.$inferSelect;
export type ParticipantRow = typeof conversationParticipants.$inferSelect;
