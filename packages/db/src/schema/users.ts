import { sql } from 'drizzle-orm';
import { boolean, check, index, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

// Levels are text with a check constraint, not an enum type, so adding one later is a constraint change.
export const NOTIFICATION_LEVEL_VALUES = ['all', 'mentions', 'none'] as const;

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
    // Default notification levels ('all' | 'mentions' | 'none') of conversations the user has not
    // set one for: direct chats, groups, and groups of LARGE_GROUP_MIN people or more.
    notifyDirect: text('notify_direct', { enum: NOTIFICATION_LEVEL_VALUES }).notNull().default('all'),
    notifyGroup: text('notify_group', { enum: NOTIFICATION_LEVEL_VALUES }).notNull().default('all'),
    notifyLargeGroup: text('notify_large_group', { enum: NOTIFICATION_LEVEL_VALUES }).notNull().default('mentions'),
    // Whether push notifications may carry the message text.
    pushPreview: boolean('push_preview').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('users_email_key').on(t.email),
    // People search is a case-insensitive display-name prefix match.
    index('users_display_name_prefix_idx').using('btree', sql`lower(${t.displayName}) text_pattern_ops`),
    check('users_notify_direct_check', sql`${t.notifyDirect} in ('all', 'mentions', 'none')`),
    check('users_notify_group_check', sql`${t.notifyGroup} in ('all', 'mentions', 'none')`),
    check('users_notify_large_group_check', sql`${t.notifyLargeGroup} in ('all', 'mentions', 'none')`),
  ],
);

export type UserRow = typeof users.$inferSelect;
export type NewUserRow = typeof users.$inferInsert;
