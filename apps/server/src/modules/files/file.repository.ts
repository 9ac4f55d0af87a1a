import { Injectable } from '@nestjs/common';
import { conversationParticipants, conversations, type Database, type Executor, type FileRow, files, messages, type NewFileRow } from '@chat/db';
import { and, asc, eq, exists, isNull, or, type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import { InjectDb } from '../../infra/database/database.module';
import type { StoredObjects } from './stored-objects';

/**
 * The attach step of the message send, as common table expressions of its one statement
 * (MessageRepository's insertMessageSql, which takes `inserted` from it):
 * - `claimed` locks the asked files that the sender uploaded and no message has taken yet. Only the
 *   sender's own files are locked, so no other member waits; a concurrent send of the same file
 *   waits here, then sees it taken and claims one file fewer.
 * - `attached` points them at the new message and its conversation, only once the message exists,
 *   and returns them; `attachedJson` selects them as a JSON array (null when none), so the send
 *   answers with its files without reading them back.
 * The statement must store nothing unless every asked file is claimed: it tests `claimedAll`.
 * Placeholders: message id, conversation id, sender id, file ids as a uuid[] literal.
 */
export function attachFilesSql(p: { messageId: string; conversationId: string; senderId: string; fileIds: string }) {
  return {
    claimed: `claimed as (
      select id from files where id = any(${p.fileIds}::uuid[]) and uploader_id = ${p.senderId} and message_id is null
      for update
    )`,
    claimedAll: `(select count(*) from claimed) = coalesce(cardinality(${p.fileIds}::uuid[]), 0)`,
    attached: `attached as (
      update files set message_id = ${p.messageId}, conversation_id = ${p.conversationId}, attached_at = now()
      where id in (select id from claimed) and exists (select 1 from inserted)
      returning id, name, size, mime_type, width, height, thumbnail_state, created_at
    )`,
    attachedJson: `(select json_agg(json_build_object(
      'id', id, 'name', name, 'size', size, 'mimeType', mime_type, 'width', width, 'height', height, 'thumbnailState', thumbnail_state
    ) order by created_at, id) from attached)`,
  };
}

/** A file as a message's attachment needs it: what `attachedJson` selects, a subset of FileRow. */
export type AttachedFile = Pick<FileRow, 'id' | 'name' | 'size' | 'mimeType' | 'width' | 'height' | 'thumbnailState'>;

/**
 * A message's files as AttachedFile JSON, in upload order (null when it has none), for a read of
 * messages that brings their files along instead of asking findByMessages after it. `messageId`:
 * a qualified column or a parameter.
 */
export function attachedFilesJsonSql(messageId: SQLWrapper): SQL<AttachedFile[] | null> {
  return sql<AttachedFile[] | null>`(select json_agg(json_build_object(
      'id', af.id, 'name', af.name, 'size', af.size, 'mimeType', af.mime_type, 'width', af.width, 'height', af.height, 'thumbnailState', af.thumbnail_state
    ) order by af.created_at, af.id) from ${files} af where af.message_id = ${messageId})`;
}

/**
 * Deletes the rows of a message's files, inside the transaction that deletes the message, and
 * answers their storage keys for the caller to delete once it has committed.
 */
export async function deleteFilesOfMessage(executor: Executor, messageId: string): Promise<StoredObjects[]> {
  return executor.delete(files).where(eq(files.messageId, messageId)).returning({ storageKey: files.storageKey, thumbnailKey: files.thumbnailKey });
}

/** Ids as one uuid[] parameter, however many (both drivers pass the text literal through). */
export const uuidArrayLiteral = (ids: readonly string[]) => `{${ids.join(',')}}`;

export type ThumbnailOutcome = { state: 'ready'; thumbnailKey: string; width: number; height: number } | { state: 'none' };

/** Owns the files table. */
@Injectable()
export class FileRepository {
  constructor(@InjectDb() private readonly db: Database) {}

  async insert(row: NewFileRow): Promise<FileRow> {
    const [inserted] = await this.db.insert(files).values(row).returning();
    return inserted!;
  }

  /** The files attached to any of these messages, in upload order: one query for a whole page. */
  async findByMessages(messageIds: readonly string[]): Promise<FileRow[]> {
    if (messageIds.length === 0) return [];
    // Prepared: every page of messages asks it.
    this.byMessagesQuery ??= this.db
      .select()
      .from(files)
      .where(sql`${files.messageId} = any(${sql.placeholder('messageIds')}::uuid[])`)
      .orderBy(asc(files.createdAt), asc(files.id))
      .prepare('chat_files_of_messages');
    return this.byMessagesQuery.execute({ messageIds: uuidArrayLiteral(messageIds) });
  }

  private byMessagesQuery?: { execute(values: { messageIds: string }): Promise<FileRow[]> };

  /**
   * The file when `userId` may read it, else null (whether or not it exists): its uploader while
   * it is unattached; once attached, whoever is now in the conversation of its message, as long as
   * the message and the conversation are not deleted.
   */
  async findReadable(fileId: string, userId: string): Promise<FileRow | null> {
    const readerOfItsMessage = this.db
      .select({ one: sql`1` })
      .from(messages)
      .innerJoin(conversations, eq(conversations.id, messages.conversationId))
      .innerJoin(
        conversationParticipants,
        and(
          eq(conversationParticipants.conversationId, messages.conversationId),
          eq(conversationParticipants.userId, userId),
          isNull(conversationParticipants.leftAt),
        ),
      )
      .where(and(eq(messages.id, files.messageId), isNull(messages.deletedAt), isNull(conversations.deletedAt)));
    const [row] = await this.db
      .select()
      .from(files)
      .where(and(eq(files.id, fileId), or(and(isNull(files.messageId), eq(files.uploaderId, userId)), exists(readerOfItsMessage))))
      .limit(1);
    return row ?? null;
  }

  async findById(fileId: string): Promise<FileRow | null> {
    const [row] = await this.db.select().from(files).where(eq(files.id, fileId)).limit(1);
    return row ?? null;
  }

  /**
   * Records how a pending thumbnail ended: 'ready' with its key and the original's size, or 'none'.
   * Only a pending file changes, so a second worker on the same file changes nothing; false then.
   */
  async finishThumbnail(fileId: string, outcome: ThumbnailOutcome): Promise<boolean> {
    const values =
      outcome.state === 'ready'
        ? { thumbnailState: outcome.state, thumbnailKey: outcome.thumbnailKey, width: outcome.width, height: outcome.height }
        : { thumbnailState: outcome.state, thumbnailKey: null };
    const updated = await this.db
      .update(files)
      .set(values)
      .where(and(eq(files.id, fileId), eq(files.thumbnailState, 'pending')))
      .returning({ id: files.id });
    return updated.length > 0;
  }

  /**
   * Deletes up to `limit` files that no message took within `olderThanSeconds` of their upload and
   * answers their stored objects' keys. SKIP LOCKED leaves a file a send is attaching right now to
   * that send, and lets several nodes sweep at once without taking the same rows.
   */
  async deleteUnattached(olderThanSeconds: number, limit: number): Promise<StoredObjects[]> {
    const result: unknown = await this.db.execute(sql`
      delete from files where id in (
        select id from files
        where message_id is null and created_at < now() - make_interval(secs => ${olderThanSeconds})
        order by created_at
        limit ${limit}
        for update skip locked
      )
      returning storage_key, thumbnail_key`);
    return (result as { rows: Array<{ storage_key: string; thumbnail_key: string | null }> }).rows.map((row) => ({
      storageKey: row.storage_key,
      thumbnailKey: row.thumbnail_key,
    }));
  }

  /** Files whose thumbnail is still to make, oldest first. */
  async findPendingThumbnails(limit: number): Promise<string[]> {
    const rows = await this.db.select({ id: files.id }).from(files).where(eq(files.thumbnailState, 'pending')).orderBy(files.createdAt).limit(limit);
    return rows.map((row) => row.id);
  }
}
