import { Injectable } from '@nestjs/common';
import { conversationParticipants as participants, conversations, type Database, messages, readReceipts, users } from '@chat/db';
import { and, eq, inArray, isNull, lt, ne, sql } from 'drizzle-orm';
import { InjectDb } from '../../infra/database/database.module';

export interface ReadEvent {
  messageId: string;
  userId: string;
  readAt: Date;
}

@Injectable()
export class ReceiptRepository {
  constructor(@InjectDb() private readonly db: Database) {}

  async messageInConversation(messageId: string, conversationId: string) {
    const [row] = await this.db
      .select({ id: messages.id, seq: messages.seq, senderId: messages.senderId })
      .from(messages)
      .where(and(eq(messages.id, messageId), eq(messages.conversationId, conversationId)))
      .limit(1);
    return row ?? null;
  }

  async messageById(messageId: string) {
    const [row] = await this.db
      .select({ id: messages.id, seq: messages.seq, senderId: messages.senderId, conversationId: messages.conversationId })
      .from(messages)
      .where(eq(messages.id, messageId))
      .limit(1);
    return row ?? null;
  }

  /**
   * Moves a participant's read marker forward to `seq`; never back. Returns the time it moved,
   * or null when the marker was already there (a late, older read).
   */
  async advanceMarker(conversationId: string, userId: string, seq: number): Promise<Date | null> {
    const [row] = await this.db
      .update(participants)
      .set({ lastReadSeq: seq, lastReadAt: sql`now()` })
      .where(
        and(
          eq(participants.conversationId, conversationId),
          eq(participants.userId, userId),
          isNull(participants.leftAt),
          lt(participants.lastReadSeq, seq),
        ),
      )
      .returning({ readAt: participants.lastReadAt });
    return row?.readAt ?? null;
  }

  /** One row per marker move (not per message): enough to tell when each message was first read. */
  async insertReadEvents(events: ReadEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.db.insert(readReceipts).values(events).onConflictDoNothing();
  }

  /** Unread count of one participant: messages above the marker, minus deleted ones. */
  async readState(conversationId: string, userId: string): Promise<{ lastReadSeq: number; unreadCount: number } | null> {
    const [row] = await this.db
      .select({
        lastReadSeq: participants.lastReadSeq,
        lastSeq: conversations.lastSeq,
        deleted: sql<number>`(select count(*)::int from ${messages} dm where dm.conversation_id = ${conversations.id} and dm.seq > ${participants.lastReadSeq} and dm.deleted_at is not null)`,
      })
      .from(participants)
      .innerJoin(conversations, eq(conversations.id, participants.conversationId))
      .where(and(eq(participants.conversationId, conversationId), eq(participants.userId, userId)));
    if (!row) return null;
    return { lastReadSeq: row.lastReadSeq, unreadCount: Math.max(0, row.lastSeq - row.lastReadSeq - row.deleted) };
  }

  async readReceiptsEnabled(userId: string): Promise<boolean> {
    const [row] = await this.db.select({ enabled: users.readReceiptsEnabled }).from(users).where(eq(users.id, userId));
    return row?.enabled ?? false;
  }

  /**
   * Who read message `seq` of a conversation: current participants other than the sender who share
   * read receipts, with the first recorded read at or beyond it (else their marker's time).
   */
  async readersOf(conversationId: string, seq: number, senderId: string) {
    const firstRead = sql<Date | null>`(
      select min(rr.read_at) from ${readReceipts} rr
      join ${messages} rm on rm.id = rr.message_id
      where rr.user_id = ${participants.userId} and rm.conversation_id = ${conversationId} and rm.seq >= ${seq}
    )`;
    return this.db
      .select({
        userId: participants.userId,
        displayName: users.displayName,
        lastReadSeq: participants.lastReadSeq,
        lastReadAt: participants.lastReadAt,
        firstReadAt: firstRead,
      })
      .from(participants)
      .innerJoin(users, eq(users.id, participants.userId))
      .where(
        and(
          eq(participants.conversationId, conversationId),
          isNull(participants.leftAt),
          ne(participants.userId, senderId),
          eq(users.readReceiptsEnabled, true),
        ),
      );
  }

  /** For each conversation: its newest message and how many (sharing) participants have read it. */
  async newestMessageCounts(conversationIds: string[]) {
    if (conversationIds.length === 0) return [];
    return this.db
      .select({
        conversationId: conversations.id,
        messageId: messages.id,
        seq: messages.seq,
        count: sql<number>`(
          select count(*)::int from ${participants} rp join ${users} ru on ru.id = rp.user_id
          where rp.conversation_id = ${conversations.id} and rp.left_at is null and rp.user_id <> ${messages.senderId}
            and ru.read_receipts_enabled and rp.last_read_seq >= ${messages.seq}
        )`,
      })
      .from(conversations)
      .innerJoin(messages, eq(messages.id, conversations.lastMessageId))
      .where(and(inArray(conversations.id, conversationIds), isNull(conversations.deletedAt)));
  }
}
