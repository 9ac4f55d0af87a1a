import { Injectable } from '@nestjs/common';
import { conversationParticipants, conversations, type Database, type FileRow, files, messages, type NewFileRow } from '@chat/db';
import { and, eq, exists, isNull, or, sql } from 'drizzle-orm';
import { InjectDb } from '../../infra/database/database.module';

/** Owns the files table. */
@Injectable()
export class FileRepository {
  constructor(@InjectDb() private readonly db: Database) {}

  async insert(row: NewFileRow): Promise<FileRow> {
    const [inserted] = await this.db.insert(files).values(row).returning();
    return inserted!;
  }

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
}
