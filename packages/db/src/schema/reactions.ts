import { sql } from 'drizzle-orm';
import { index, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { messages } from './messages';
import { users } from './users';

/**
 * One row per (message, user, emoji). The emoji is stored normalised (a shortcode is stored as the
 * emoji it names), so one reaction is one row whatever way it was typed.
 */
export const messageReactions = pgTable(
  'message_reactions',
  {
    messageId: uuid('message_id')
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    emoji: text('emoji').notNull(),
    // The wall clock, not the transaction start: writers of one message queue on its row lock, so
    // this orders the reactions as they were applied ("ordered by first reaction time").
    createdAt: timestamp('created_at', { withTimezone: true })
      .notNull()
      .default(sql`clock_timestamp()`),
  },
  (t) => [primaryKey({ columns: [t.messageId, t.userId, t.emoji] }), index('message_reactions_message_emoji_idx').on(t.messageId, t.emoji, t.createdAt)],
);

export type MessageReactionRow = typeof messageReactions.$inferSelect;
