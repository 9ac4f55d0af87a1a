import { Injectable } from '@nestjs/common';
import { conversationParticipants as participants, conversations, type Database, messages, readReceipts, users } from '@chat/db';
import { RECEIPT_BATCH_THRESHOLD } from '@chat/shared';
import { and, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import { InjectDb } from '../../infra/database/database.module';
import { isDeadlock } from '../../common/errors/error-classes';
import { unreadCountSql } from '../messages/unread-count.sql';

export interface ReadRequest {
  userId: string;
  conversationId: string;
  messageId: string;
}

/** What one read request found, in request order. */
export interface ReadOutcome {
  /** The conversation exists and is not deleted. */
  live: boolean;
  /** The reader is a current participant. */
  member: boolean;
  /** Seq of the message read; null when it is not in this conversation. */
  seq: number | null;
  participantCount: number;
  readReceiptsEnabled: boolean;
  /** The reader's marker after the statement. */
  lastReadSeq: number;
  unreadCount: number;
  /** When the marker moved to this request's message; null if it did not (already there, or a later read won). */
  movedAt: Date | null;
}

interface ReadOutcomeRow {
  n: string | number;
  live: boolean;
  member: boolean;
  seq: string | number | null;
  participant_count: number | null;
  read_receipts_enabled: boolean | null;
  last_read_seq: string | number | null;
  unread_count: number | null;
  moved_at: Date | string | null;
}

export interface ReadEvent {
  messageId: string;
  userId: string;
  readAt: Date;
}

@Injectable()
export class ReceiptRepository {
  constructor(@InjectDb() private readonly db: Database) {}

  async messageById(messageId: string) {
    const [row] = await this.db
      .select({ id: messages.id, seq: messages.seq, senderId: messages.senderId, conversationId: messages.conversationId })
      .from(messages)
      .where(eq(messages.id, messageId))
      .limit(1);
    return row ?? null;
  }

  /**
   * Applies many reads in ONE statement: checks each request (conversation live, reader a member,
   * message in that conversation), moves each reader's marker forward to the furthest message read
   * in the batch (never back: the row is re-checked under its lock), logs the move for small
   * conversations, and answers each request with the reader's read state.
   */
  async markRead(requests: ReadRequest[]): Promise<ReadOutcome[]> {
    if (requests.length === 0) return [];
    // Batches lock in a fixed order; a two-row writer (an owner leaving) can still cross one, and
    // the victim changed nothing, so it runs again.
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.applyReads(requests);
      } catch (error) {
        if (!isDeadlock(error) || attempt === 3) throw error;
      }
    }
  }

  private async applyReads(requests: ReadRequest[]): Promise<ReadOutcome[]> {
    const column = (pick: (r: ReadRequest) => string) => sql.param(requests.map(pick));
    // Read markers commit without waiting for the WAL flush: a crash can lose the last fraction of
    // a second of marker moves (the clients read again and markers only move forward), and reads
    // stop queueing on fsyncs in front of messages, which always commit durably. The setting is
    // local to this statement's own transaction, so the whole batch is one round trip.
    // Both drivers answer raw SQL with `{ rows }`.
    const result = (await this.db.execute(sql`
      with relaxed as materialized (
        select set_config('synchronous_commit', 'off', true)
      ), input as (
        select i.* from relaxed, unnest(${column((r) => r.userId)}::uuid[], ${column((r) => r.conversationId)}::uuid[], ${column((r) => r.messageId)}::uuid[])
          with ordinality as i(user_id, conversation_id, message_id, n)
      ), resolved as (
        select i.n, i.user_id, i.conversation_id, i.message_id,
               c.id is not null as live, c.participant_count, c.last_seq,
               p.user_id is not null as member, p.last_read_seq as marker, p.last_sent_seq as sent_marker,
               m.seq, u.read_receipts_enabled
        from input i
        left join ${conversations} c on c.id = i.conversation_id and c.deleted_at is null
        left join ${participants} p on p.conversation_id = c.id and p.user_id = i.user_id and p.left_at is null
        left join ${messages} m on m.id = i.message_id and m.conversation_id = c.id
        left join ${users} u on u.id = i.user_id
      ), targets as (
        select user_id, conversation_id, max(seq) as seq from resolved where member and seq is not null group by user_id, conversation_id
      ), locked as (
        -- Rows are locked in (conversation, user) order, the order every multi-row writer of
        -- memberships uses, so two batches cannot deadlock. A send locks no membership but its
        -- sender's, so reads never queue behind sends.
        -- A locked row is its latest version, so "current" is exact even when a concurrent batch
        -- moved the marker after this statement began.
        select p.conversation_id, p.user_id, t.seq, p.last_read_seq as current, p.last_sent_seq as sent from ${participants} p
        join targets t on t.conversation_id = p.conversation_id and t.user_id = p.user_id
        where p.left_at is null
        order by p.conversation_id, p.user_id
        for update of p
      ), moved as (
        update ${participants} p set last_read_seq = l.seq, last_read_at = now()
        from locked l
        where p.conversation_id = l.conversation_id and p.user_id = l.user_id and p.last_read_seq < l.seq
        returning p.conversation_id, p.user_id, p.last_read_seq, p.last_read_at
      ), logged as (
        insert into ${readReceipts} (message_id, user_id, read_at)
        select distinct r.message_id, mv.user_id, mv.last_read_at
        from moved mv join resolved r on r.conversation_id = mv.conversation_id and r.user_id = mv.user_id and r.seq = mv.last_read_seq
        where r.participant_count < ${RECEIPT_BATCH_THRESHOLD}
        on conflict do nothing
      ), answered as (
        -- A reader whose membership row was gone by the time it was locked (they left while this
        -- statement waited) read nothing: not a member, rather than an ok with an unmoved marker.
        select r.n, r.conversation_id, r.user_id, coalesce(l.sent, r.sent_marker) as sent_marker, r.live, r.seq, r.participant_count, r.read_receipts_enabled, r.last_seq,
               r.member and (r.seq is null or l.user_id is not null) as member,
               coalesce(mv.last_read_seq, l.current, r.marker) as last_read_seq,
               case when mv.last_read_seq = r.seq then mv.last_read_at end as moved_at
        from resolved r
        left join locked l on l.conversation_id = r.conversation_id and l.user_id = r.user_id
        left join moved mv on mv.conversation_id = r.conversation_id and mv.user_id = r.user_id
      )
      select a.n, a.live, a.member, a.seq, a.participant_count, a.read_receipts_enabled, a.last_read_seq, a.moved_at,
             case when a.member then ${unreadCountSql({
               conversationId: sql`a.conversation_id`,
               userId: sql`a.user_id`,
               lastSeq: sql`a.last_seq`,
               lastReadSeq: sql`a.last_read_seq`,
               lastSentSeq: sql`a.sent_marker`,
             })} end as unread_count
      from answered a
      order by a.n`)) as unknown as { rows: ReadOutcomeRow[] };
    return result.rows.map((row) => {
      const lastReadSeq = Number(row.last_read_seq ?? 0);
      return {
        live: row.live,
        member: row.member,
        seq: row.seq === null ? null : Number(row.seq),
        participantCount: row.participant_count ?? 0,
        readReceiptsEnabled: row.read_receipts_enabled ?? false,
        lastReadSeq,
        unreadCount: row.unread_count ?? 0,
        movedAt: row.moved_at === null ? null : new Date(row.moved_at),
      };
    });
  }

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
