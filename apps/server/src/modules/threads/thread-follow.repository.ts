import { Injectable } from '@nestjs/common';
import { conversationParticipants as participants, conversations, type Database, messages, threadFollows } from '@chat/db';
import { and, eq, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { InjectDb } from '../../infra/database/database.module';
import { mentionCountSql } from '../conversations/membership.sql';

/** Where the followed-threads list continues: after this (has unread, sort time, root id). */
export interface ThreadListCursor {
  u: 0 | 1;
  /** The sort time as PostgreSQL prints it (microseconds survive). */
  t: string;
  id: string;
}

/**
 * The one thread unread rule: live replies of others above the follower's thread marker, a range of
 * messages_thread_seq_idx. (The reader's own replies never count; deleted ones no longer do.)
 */
export function threadUnreadSql(rootId: SQLWrapper, userId: SQLWrapper, lastReadSeq: SQLWrapper): SQL<number> {
  return sql<number>`(select count(*)::int from ${messages} tr
    where tr.thread_root_id = ${rootId} and tr.seq > ${lastReadSeq} and tr.sender_id <> ${userId} and tr.deleted_at is null)`;
}

/**
 * thread_follows: who follows which thread, with their thread marker. The send statement
 * (MessageRepository.insertWithSeq) also writes it, following the rules here: rows are only
 * inserted or moved forward.
 */
@Injectable()
export class ThreadFollowRepository {
  constructor(@InjectDb() private readonly db: Database) {}

  /** Moves the follower's marker forward to `seq` (never back); false when they do not follow the thread. */
  async markRead(userId: string, rootId: string, seq: number): Promise<boolean> {
    const rows = await this.db
      .update(threadFollows)
      .set({ lastReadSeq: sql`greatest(${threadFollows.lastReadSeq}, ${seq}::bigint)` })
      .where(and(eq(threadFollows.rootId, rootId), eq(threadFollows.userId, userId)))
      .returning({ rootId: threadFollows.rootId });
    return rows.length > 0;
  }

  /** Follows with nothing unread: the marker starts at the thread's newest reply. */
  async follow(userId: string, conversationId: string, rootId: string): Promise<void> {
    await this.db
      .insert(threadFollows)
      .values({
        rootId,
        userId,
        conversationId,
        lastReadSeq: sql`(select coalesce(max(${messages.seq}), 0) from ${messages} where ${messages.threadRootId} = ${rootId})`,
      })
      .onConflictDoNothing();
  }

  async unfollow(userId: string, rootId: string): Promise<void> {
    await this.db.delete(threadFollows).where(and(eq(threadFollows.rootId, rootId), eq(threadFollows.userId, userId)));
  }

  /** The user's read state of a thread, and their conversation's mention count (mentions in replies count until the thread is read). */
  async state(userId: string, conversationId: string, rootId: string) {
    const [row] = await this.db
      .select({
        lastReadSeq: sql<
          number | null
        >`(select ${threadFollows.lastReadSeq} from ${threadFollows} where ${threadFollows.rootId} = ${rootId} and ${threadFollows.userId} = ${userId})`.mapWith(
          (value: string | number | null) => (value === null ? null : Number(value)),
        ),
        unreadCount: sql<number>`coalesce((select ${threadUnreadSql(sql`f.root_id`, sql`f.user_id`, sql`f.last_read_seq`)} from ${threadFollows} f where f.root_id = ${rootId} and f.user_id = ${userId}), 0)`,
        mentionCount: mentionCountSql({
          conversationId: participants.conversationId,
          userId: participants.userId,
          lastSeq: conversations.lastSeq,
          lastReadSeq: participants.lastReadSeq,
          lastSentSeq: participants.lastSentSeq,
          lastReplySeq: conversations.lastReplySeq,
        }),
      })
      .from(participants)
      .innerJoin(conversations, eq(conversations.id, participants.conversationId))
      .where(and(eq(participants.conversationId, conversationId), eq(participants.userId, userId)));
    return row ?? null;
  }

  /**
   * One page of the threads a user follows in conversations they are still in: unread ones first,
   * then by last reply (a followed root without replies by its own time), newest first. The unread
   * count is a probe per followed thread, which is few per user.
   */
  async listForUser(userId: string, limit: number, after?: ThreadListCursor) {
    // Both drivers answer raw SQL with `{ rows }`; the shared Drizzle type does not say so.
    const result: unknown = await this.db.execute(sql`
      select s.conversation_id, s.root_id, s.last_read_seq, s.unread_count, s.t::text as sort_key
      from (
        select f.conversation_id, f.root_id, f.last_read_seq, coalesce(r.last_reply_at, r.created_at) as t,
               ${threadUnreadSql(sql`f.root_id`, sql`f.user_id`, sql`f.last_read_seq`)} as unread_count
        from ${threadFollows} f
        join ${messages} r on r.id = f.root_id
        join ${conversations} c on c.id = f.conversation_id and c.deleted_at is null
        join ${participants} p on p.conversation_id = f.conversation_id and p.user_id = f.user_id and p.left_at is null
        where f.user_id = ${userId}
      ) s
      ${after ? sql`where ((s.unread_count > 0)::int, s.t, s.root_id) < (${after.u}::int, ${after.t}::timestamptz, ${after.id}::uuid)` : sql``}
      order by (s.unread_count > 0)::int desc, s.t desc, s.root_id desc
      limit ${limit + 1}`);
    const { rows } = result as {
      rows: Array<{ conversation_id: string; root_id: string; last_read_seq: string | number; unread_count: number; sort_key: string }>;
    };
    return rows.map((row) => ({
      conversationId: row.conversation_id,
      rootId: row.root_id,
      lastReadSeq: Number(row.last_read_seq),
      unreadCount: Number(row.unread_count),
      cursor: { u: Number(row.unread_count) > 0 ? 1 : 0, t: row.sort_key, id: row.root_id } satisfies ThreadListCursor,
    }));
  }
}
