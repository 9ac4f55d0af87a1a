import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { conversations } from './conversations';
import { messages } from './messages';
import { users } from './users';

/**
 * Uploaded files. The bytes live in the file storage under `storage_key`; a row is written only
 * once they are stored. A file is unattached until a message takes it (message_id, conversation_id,
 * attached_at set together); unattached files are swept after a while.
 */
export const files = pgTable(
  'files',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    uploaderId: uuid('uploader_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    // Chosen by the server ("f/<uuid>"), never derived from the client's file name.
    storageKey: text('storage_key').notNull(),
    // The client's name, sanitised, for display and Content-Disposition only.
    name: text('name').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    // Sniffed from the bytes, never the client's Content-Type.
    mimeType: text('mime_type').notNull(),
    // Of the original image, upright (EXIF orientation applied); known once its thumbnail is made.
    width: integer('width'),
    height: integer('height'),
    // Images start 'pending' and become 'ready' (thumbnail stored under thumbnail_key, "t/<id>") or
    // 'none' (too large or undecodable); null for files that are not images.
    thumbnailKey: text('thumbnail_key'),
    thumbnailState: text('thumbnail_state', { enum: ['pending', 'ready', 'none'] }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    // SET NULL rather than cascade: a row that loses its message becomes unattached, so the sweep
    // still finds it and deletes its stored object; a cascade would drop the only record of the key.
    messageId: uuid('message_id').references(() => messages.id, { onDelete: 'set null' }),
    conversationId: uuid('conversation_id').references(() => conversations.id, { onDelete: 'set null' }),
    attachedAt: timestamp('attached_at', { withTimezone: true }),
  },
  (t) => [
    check('files_thumbnail_state_check', sql`${t.thumbnailState} in ('pending', 'ready', 'none')`),
    // The sweep of unattached files, oldest first.
    index('files_unattached_created_idx')
      .on(t.createdAt)
      .where(sql`${t.messageId} is null`),
    // Thumbnails still to make, asked for again when a node starts (an in-process queue is lost on restart).
    index('files_thumbnail_pending_idx')
      .on(t.createdAt)
      .where(sql`${t.thumbnailState} = 'pending'`),
    // "Files of this message" for the attach step and message reads.
    index('files_message_idx')
      .on(t.messageId)
      .where(sql`${t.messageId} is not null`),
  ],
);

export type FileRow = typeof files.$inferSelect;
export type NewFileRow = typeof files.$inferInsert;
