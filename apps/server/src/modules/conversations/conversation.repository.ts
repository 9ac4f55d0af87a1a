import { Injectable } from '@nestjs/common';
import { type ConversationRow, conversations, type Database, type Executor } from '@chat/db';
import { and, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import { InjectDb } from '../../infra/database/database.module';
import { isCurrentParticipantSql } from './membership.sql';

type ConversationChanges = Partial<Pick<ConversationRow, 'title' | 'isPublic' | 'ownerId' | 'participantCount' | 'deletedAt' | 'updatedAt'>>;

const isLive = (id: string) => and(eq(conversations.id, id), isNull(conversations.deletedAt));

/** The conversations table. Methods that take `tx` run inside a caller's transaction. */
@Injectable()
export class ConversationRepository {
  constructor(@InjectDb() private readonly db: Database) {}

  /** The conversation unless it does not exist or was deleted. */
  async findLive(id: string): Promise<ConversationRow | null> {
    const [row] = await this.db.select().from(conversations).where(isLive(id)).limit(1);
    return row ?? null;
  }

  /**
   * The live conversation and whether the user is currently in it, in one prepared statement: the
   * check that guards most reads and writes of a conversation. Null when it does not exist or was deleted.
   */
  async findLiveForMember(id: string, userId: string): Promise<{ conversation: ConversationRow; isMember: boolean } | null> {
    this.liveForMemberQuery ??= this.db
      // The id as a parameter, not the column: a select list renders columns unqualified, which the subquery would misread.
      .select({ conversation: conversations, isMember: isCurrentParticipantSql(sql.placeholder('id'), sql.placeholder('userId')) })
      .from(conversations)
      .where(and(eq(conversations.id, sql.placeholder('id')), isNull(conversations.deletedAt)))
      .limit(1)
      .prepare('chat_conversation_live_for_member');
    const [row] = await this.liveForMemberQuery.execute({ id, userId });
    return row ?? null;
  }

  private liveForMemberQuery?: { execute(values: { id: string; userId: string }): Promise<Array<{ conversation: ConversationRow; isMember: boolean }>> };

  /** The live conversation, its row locked until the transaction ends: membership changes serialise on it. */
  async lockLive(tx: Executor, id: string): Promise<ConversationRow | null> {
    const [row] = await tx.select().from(conversations).where(isLive(id)).for('update');
    return row ?? null;
  }

  /** The seq of the newest message (0 when there is none). */
  async lastSeq(id: string): Promise<number> {
    const [row] = await this.db.select({ lastSeq: conversations.lastSeq }).from(conversations).where(eq(conversations.id, id));
    return row?.lastSeq ?? 0;
  }

  /**
   * One conversation per pair: the partial unique index on direct_key decides between concurrent
   * creators; null means another creator's row exists (lock it with lockDirect).
   */
  async insertDirect(tx: Executor, directKey: string): Promise<ConversationRow | null> {
    const [inserted] = await tx
      .insert(conversations)
      .values({ type: 'direct', directKey, participantCount: 2 })
      .onConflictDoNothing({ target: conversations.directKey, where: isNotNull(conversations.directKey) })
      .returning();
    return inserted ?? null;
  }

  async lockDirect(tx: Executor, directKey: string): Promise<ConversationRow> {
    const [row] = await tx.select().from(conversations).where(eq(conversations.directKey, directKey)).for('update');
    return row!;
  }

  async insertGroup(tx: Executor, input: { title: string; isPublic: boolean; ownerId: string; participantCount: number }): Promise<ConversationRow> {
    const [row] = await tx
      .insert(conversations)
      .values({ type: 'group', ...input })
      .returning();
    return row!;
  }

  async update(tx: Executor, id: string, changes: ConversationChanges): Promise<ConversationRow> {
    const [row] = await tx.update(conversations).set(changes).where(eq(conversations.id, id)).returning();
    return row!;
  }

  /**
   * Takes the next seq for a message stored in the same transaction, and makes it the last message
   * and the latest activity; null when the conversation is gone. (A send does the same inside its
   * one statement, see MessageRepository.insertWithSeq.)
   */
  async takeNextSeq(tx: Executor, id: string, messageId: string): Promise<number | null> {
    const [row] = await tx
      .update(conversations)
      .set({ lastSeq: sql`${conversations.lastSeq} + 1`, lastMessageId: messageId, lastActivityAt: sql`now()`, updatedAt: sql`now()` })
      .where(isLive(id))
      .returning({ seq: conversations.lastSeq });
    return row ? Number(row.seq) : null;
  }

  /** Soft delete; freeing direct_key lets the same pair start a new direct conversation later. */
  async softDelete(id: string): Promise<boolean> {
    const deletedAt = new Date();
    const rows = await this.db
      .update(conversations)
      .set({ deletedAt, directKey: null, updatedAt: deletedAt })
      .where(isLive(id))
      .returning({ id: conversations.id });
    return rows.length > 0;
  }
}
