import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { conversationParticipants as participants, conversations, type Database, type MessageRow, messages, users } from '@chat/db';
import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, lt, lte, or, sql } from 'drizzle-orm';
import { InjectDb } from '../../infra/database/database.module';

export type MessageWithSender = MessageRow & { senderName: string };

export type InsertOutcome =
  | { kind: 'created'; message: MessageWithSender }
  | { kind: 'duplicate' }
  /** The conversation is gone or the sender is not (or no longer) in it. */
  | { kind: 'refused' };

/** Thrown inside the send transaction to roll back the seq it took. */
class DuplicateClientMessageId extends Error {}

const withSender = {
  message: messages,
  senderName: users.displayName,
};

@Injectable()
export class MessageRepository {
  constructor(@InjectDb() private readonly db: Database) {}

  /**
   * Stores a message as the conversation's next seq, in one transaction:
   * 1. bump conversations.last_seq (the row lock orders concurrent senders: gapless, strictly increasing),
   *    which also records the last message and activity time, but only if the sender is a current participant;
   * 2. insert the message; a (sender, clientMessageId) that exists rolls everything back;
   * 3. move the sender's read marker to it (own messages are never unread).
   */
  async insertWithSeq(input: { conversationId: string; senderId: string; content: string; clientMessageId: string }): Promise<InsertOutcome> {
    const id = randomUUID();
    try {
      return await this.db.transaction(async (tx) => {
        const [bumped] = await tx
          .update(conversations)
          .set({ lastSeq: sql`${conversations.lastSeq} + 1`, lastMessageId: id, lastActivityAt: sql`now()`, updatedAt: sql`now()` })
          .where(
            and(
              eq(conversations.id, input.conversationId),
              isNull(conversations.deletedAt),
              sql`exists (select 1 from ${participants} where ${participants.conversationId} = ${input.conversationId} and ${participants.userId} = ${input.senderId} and ${participants.leftAt} is null)`,
            ),
          )
          .returning({ seq: conversations.lastSeq });
        if (!bumped) return { kind: 'refused' } as const;

        const [row] = await tx
          .insert(messages)
          .values({ id, conversationId: input.conversationId, seq: bumped.seq, senderId: input.senderId, content: input.content, clientMessageId: input.clientMessageId, createdAt: sql`now()`, updatedAt: sql`now()` })
          .onConflictDoNothing({ target: [messages.senderId, messages.clientMessageId] })
          .returning();
        if (!row) throw new DuplicateClientMessageId();

        const [sender] = await tx
          .update(participants)
          .set({ lastReadSeq: sql`greatest(${participants.lastReadSeq}, ${bumped.seq})`, lastReadAt: sql`now()` })
          .from(users)
          .where(and(eq(participants.conversationId, input.conversationId), eq(participants.userId, input.senderId), eq(users.id, participants.userId)))
          .returning({ displayName: users.displayName });
        return { kind: 'created', message: { ...row, senderName: sender!.displayName } } as const;
      });
    } catch (error) {
      if (error instanceof DuplicateClientMessageId) return { kind: 'duplicate' };
      throw error;
    }
  }

  async findBySenderAndClientId(senderId: string, clientMessageId: string): Promise<MessageWithSender | null> {
    const [row] = await this.db
      .select(withSender)
      .from(messages)
      .innerJoin(users, eq(users.id, messages.senderId))
      .where(and(eq(messages.senderId, senderId), eq(messages.clientMessageId, clientMessageId)))
      .limit(1);
    return row ? { ...row.message, senderName: row.senderName } : null;
  }

  async findById(id: string): Promise<MessageWithSender | null> {
    const [row] = await this.db.select(withSender).from(messages).innerJoin(users, eq(users.id, messages.senderId)).where(eq(messages.id, id)).limit(1);
    return row ? { ...row.message, senderName: row.senderName } : null;
  }

  /** Up to `limit + 1` messages in the asked direction, returned in ascending seq order. */
  async page(conversationId: string, options: { beforeSeq?: number; afterSeq?: number; limit: number }): Promise<MessageWithSender[]> {
    const ascending = options.afterSeq !== undefined;
    const rows = await this.db
      .select(withSender)
      .from(messages)
      .innerJoin(users, eq(users.id, messages.senderId))
      .where(
        and(
          eq(messages.conversationId, conversationId),
          options.afterSeq !== undefined ? gt(messages.seq, options.afterSeq) : undefined,
          options.beforeSeq !== undefined ? lt(messages.seq, options.beforeSeq) : undefined,
        ),
      )
      .orderBy(ascending ? asc(messages.seq) : desc(messages.seq))
      .limit(options.limit + 1);
    const mapped = rows.map((row) => ({ ...row.message, senderName: row.senderName }));
    return mapped;
  }

  /**
   * Edits and deletes of messages up to `uptoSeq` changed since `since`. The 30 s overlap covers
   * transactions that committed after a client's previous read but stamped an earlier time.
   */
  async changedSince(conversationId: string, uptoSeq: number, since: Date, limit: number): Promise<MessageWithSender[]> {
    const rows = await this.db
      .select(withSender)
      .from(messages)
      .innerJoin(users, eq(users.id, messages.senderId))
      .where(
        and(
          eq(messages.conversationId, conversationId),
          or(isNotNull(messages.editedAt), isNotNull(messages.deletedAt)),
          sql`${messages.updatedAt} > ${since.toISOString()}::timestamptz - interval '30 seconds'`,
          lte(messages.seq, uptoSeq),
        ),
      )
      .orderBy(asc(messages.updatedAt))
      .limit(limit);
    return rows.map((row) => ({ ...row.message, senderName: row.senderName }));
  }

  /** Applies an edit if the message is the sender's, not deleted, and younger than the edit window. */
  async edit(messageId: string, senderId: string, content: string, windowHours: number): Promise<MessageWithSender | null> {
    const [row] = await this.db
      .update(messages)
      .set({ content, editedAt: sql`now()`, updatedAt: sql`now()` })
      .where(
        and(
          eq(messages.id, messageId),
          eq(messages.senderId, senderId),
          isNull(messages.deletedAt),
          sql`${messages.createdAt} > now() - make_interval(hours => ${windowHours})`,
        ),
      )
      .returning();
    return row ? this.withSenderName(row) : null;
  }

  /** Soft delete: the row and its seq stay, the content is gone for everyone. */
  async softDelete(messageId: string, senderId: string): Promise<MessageWithSender | null> {
    const [row] = await this.db
      .update(messages)
      .set({ content: '', deletedAt: sql`now()`, updatedAt: sql`now()` })
      .where(and(eq(messages.id, messageId), eq(messages.senderId, senderId), isNull(messages.deletedAt)))
      .returning();
    return row ? this.withSenderName(row) : null;
  }

  async lastSeqs(conversationIds: string[]): Promise<Map<string, number>> {
    if (conversationIds.length === 0) return new Map();
    const rows = await this.db
      .select({ id: conversations.id, lastSeq: conversations.lastSeq })
      .from(conversations)
      .where(inArray(conversations.id, conversationIds));
    return new Map(rows.map((row) => [row.id, row.lastSeq]));
  }

  async now(): Promise<Date> {
    const [row] = await this.db.select({ now: sql<string>`now()::text` }).from(sql`(select 1) as one`);
    return new Date(row!.now);
  }

  private async withSenderName(row: MessageRow): Promise<MessageWithSender> {
    const [user] = await this.db.select({ name: users.displayName }).from(users).where(eq(users.id, row.senderId));
    return { ...row, senderName: user?.name ?? '' };
  }
}
