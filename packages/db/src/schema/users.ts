import { sql } from 'drizzle-orm';
import { boolean, index, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const presenceSharingEnum = pgEnum('presence_sharing', ['everyone', 'friends', 'nobody']);

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    // Stored already normalised (trimmed, lower case); the unique index is the duplicate guard.
    email: text('email').notNull(),
    passwordHash: text('password_hash').notNull(),
    displayName: text('display_name').notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }),
    presenceEnabled: boolean('presence_enabled').notNull().default(true),
    presenceSharing: presenceSharingEnum('presence_sharing').notNull().default('everyone'),
    readReceiptsEnabled: boolean('read_receipts_enabled').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('users_email_key').on(t.email),
    // People search is a case-insensitive display-name prefix match.
    index('users_display_name_prefix_idx').using('btree', sql`lower(${t.displayName}) text_pattern_ops`),
  ],
);

export type UserRow = typeof users.$inferSelect;
export type NewUserRow = typeof users.$inferInsert;
