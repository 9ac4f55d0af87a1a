import { Injectable } from '@nestjs/common';
import { conversationParticipants as participants, conversations, type Database, messages, readReceipts, users } from '@chat/db';
import { and, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import { InjectDb } from '../../infra/database/database.module';

export interface ReadEvent {
  messageId: string;
  userId: string;
  readAt: Date;
}

/**
 * read_receipts (the log of first reads), and the "who read it" views over the read markers. The
 * markers themselves are memberships' (MembershipRepository.moveReadMarkers).
 */
@Injectable()
export class ReceiptRepository {
  constructor(@InjectDb() private readonly db: Database) {}

  /** One row per marker move (not per message): enough to tell when each message was first read. */
  async insertReadEvents(events: ReadEvent[]): Promise<void> {
    if (events.length === 0) return;
    // Three array parameters rather than three per row: a flush stores thousands of reads, and
    // building (and the server parsing) that many parameters stalls the event loop.
    await this.db.execute(sql`
      insert into ${readReceipts} (message_id, user_id, read_at)
      select * from unnest(
        ${sql.param(events.map((e) => e.messageId))}::uuid[],
        ${sql.param(events.map((e) => e.userId))}::uuid[],
        ${sql.param(events.map((e) => e.readAt.toISOString()))}::timestamptz[]
      )
      on conflict do nothing`);
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
