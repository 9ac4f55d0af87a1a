import { Injectable } from '@nestjs/common';
import { conversationParticipants as participants, conversations, type Database, type Executor, messages, type ParticipantRow, users } from '@chat/db';
import type { NotificationLevel } from '@chat/shared';
import { and, asc, eq, isNotNull, isNull, lt, sql } from 'drizzle-orm';
import { InjectDb } from '../../infra/database/database.module';
import { isDeadlock } from '../../common/errors/error-classes';
import { notificationsSelection, type NotificationsRow } from '../notifications/notification-level.sql';
import { type ReadOutcomeRow, type ReadRequest, readMarkersSql } from './membership.sql';

export type { ReadRequest } from './membership.sql';

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
  mentionCount: number;
  /** When the marker moved to this request's message; null if it did not (already there, or a later read won). */
  movedAt: Date | null;
}

/**
 * conversation_participants: who is in which conversation, in what role, and how far they read.
 *
 * Lock order: a statement that locks more than one membership row locks them in (conversation_id,
 * user_id) order, so two such writers cannot deadlock. A send locks no membership but its sender's
 * (MessageRepository.insertWithSeq), so readers never queue behind sends. Methods that take `tx`
 * run inside a caller's transaction that already holds the conversation row's lock.
 */
@Injectable()
export class MembershipRepository {
  private activeIdsQuery?: { execute(values: { userId: string }): Promise<Array<{ id: string }>> };
  private unreadQuery?: { execute(values: { userId: string; messageId: string }): Promise<Array<{ unread: boolean }>> };

  constructor(@InjectDb() private readonly db: Database) {}

  async find(conversationId: string, userId: string): Promise<ParticipantRow | null> {
    const [row] = await this.db
      .select()
      .from(participants)
      .where(and(eq(participants.conversationId, conversationId), eq(participants.userId, userId)))
      .limit(1);
    return row ?? null;
  }

  /** Conversations the user is currently in, for joining their socket rooms on every connect (prepared). */
  async activeConversationIdsOf(userId: string): Promise<string[]> {
    this.activeIdsQuery ??= this.db
      .select({ id: participants.conversationId })
      .from(participants)
      .innerJoin(conversations, and(eq(conversations.id, participants.conversationId), isNull(conversations.deletedAt)))
      .where(and(eq(participants.userId, sql.placeholder('userId')), isNull(participants.leftAt)))
      .prepare('chat_active_conversation_ids');
    const rows = await this.activeIdsQuery.execute({ userId });
    return rows.map((row) => row.id);
  }

  /**
   * The message is live and the user, still a member, has not read it: what a queued push asks
   * before it goes (prepared, one statement).
   */
  async hasUnread(userId: string, messageId: string): Promise<boolean> {
    this.unreadQuery ??= this.db
      .select({ unread: sql<boolean>`true` })
      .from(messages)
      .innerJoin(
        participants,
        and(eq(participants.conversationId, messages.conversationId), eq(participants.userId, sql.placeholder('userId')), isNull(participants.leftAt)),
      )
      .where(and(eq(messages.id, sql.placeholder('messageId')), isNull(messages.deletedAt), lt(participants.lastReadSeq, messages.seq)))
      .prepare('chat_membership_has_unread');
    const rows = await this.unreadQuery.execute({ userId, messageId });
    return rows.length > 0;
  }

  /** Ids of current participants, oldest member first. */
  async activeUserIds(conversationId: string, db: Executor = this.db): Promise<string[]> {
    const rows = await db
      .select({ userId: participants.userId })
      .from(participants)
      .where(and(eq(participants.conversationId, conversationId), isNull(participants.leftAt)))
      .orderBy(asc(participants.joinedAt), asc(participants.userId));
    return rows.map((row) => row.userId);
  }

  /** Current participants with their names and read state, oldest member first. */
  async members(conversationId: string) {
    return this.db
      .select({
        userId: users.id,
        displayName: users.displayName,
        role: participants.role,
        joinedAt: participants.joinedAt,
        lastReadSeq: participants.lastReadSeq,
        readReceiptsEnabled: users.readReceiptsEnabled,
      })
      .from(participants)
      .innerJoin(users, eq(users.id, participants.userId))
      .where(and(eq(participants.conversationId, conversationId), isNull(participants.leftAt)))
      .orderBy(asc(participants.joinedAt), asc(users.id));
  }

  /**
   * Sets the user's own level of a conversation (null: follow their defaults) and, unless
   * `mutedUntil` is undefined, its mute end (null: not muted). False when they are not a current member.
   */
  async setNotifications(conversationId: string, userId: string, changes: { level: NotificationLevel | null; mutedUntil?: Date | null }): Promise<boolean> {
    const updated = await this.db
      .update(participants)
      .set({ notificationLevel: changes.level, ...(changes.mutedUntil !== undefined && { mutedUntil: changes.mutedUntil }) })
      .where(and(eq(participants.conversationId, conversationId), eq(participants.userId, userId), isNull(participants.leftAt)))
      .returning({ userId: participants.userId });
    return updated.length > 0;
  }

  /** The user's notification state in a conversation they are in; null when they are not. */
  async notificationsOf(conversationId: string, userId: string): Promise<NotificationsRow | null> {
    const [row] = await this.db
      .select(notificationsSelection(participants, conversations, users))
      .from(participants)
      .innerJoin(conversations, eq(conversations.id, participants.conversationId))
      .innerJoin(users, eq(users.id, participants.userId))
      .where(and(eq(participants.conversationId, conversationId), eq(participants.userId, userId), isNull(participants.leftAt)));
    return row ?? null;
  }

  /** The first members of a new conversation. */
  async insertAll(tx: Executor, conversationId: string, members: Array<{ userId: string; role?: 'owner' | 'member' }>): Promise<void> {
    await tx.insert(participants).values(members.map((member) => ({ conversationId, ...member })));
  }

  /** Everyone who had left the conversation is back in it. */
  async rejoinAll(tx: Executor, conversationId: string): Promise<void> {
    await tx
      .update(participants)
      .set({ leftAt: null, joinedAt: new Date() })
      .where(and(eq(participants.conversationId, conversationId), isNotNull(participants.leftAt)));
  }

  /** Adds members (or brings back ones who left) with everything up to `readUpToSeq` read. */
  async admit(tx: Executor, conversationId: string, userIds: string[], readUpToSeq: number): Promise<void> {
    if (userIds.length === 0) return;
    await tx
      .insert(participants)
      // History stays readable, but what was said before joining is not unread.
      .values(userIds.map((userId) => ({ conversationId, userId, lastReadSeq: readUpToSeq })))
      .onConflictDoUpdate({
        target: [participants.conversationId, participants.userId],
        set: { leftAt: null, joinedAt: new Date(), role: 'member', lastReadSeq: sql`greatest(${participants.lastReadSeq}, ${readUpToSeq})` },
      });
  }

  /** Locks the current members' rows, in the lock order, before a change that writes more than one. */
  async lockActive(tx: Executor, conversationId: string): Promise<void> {
    await tx.execute(sql`
      select 1 from ${participants} where conversation_id = ${conversationId} and left_at is null order by user_id for update`);
  }

  /** Ends a current membership; false when the user was not (or no longer) a member. */
  async end(tx: Executor, conversationId: string, userId: string): Promise<boolean> {
    const ended = await tx
      .update(participants)
      .set({ leftAt: new Date(), role: 'member' })
      .where(and(eq(participants.conversationId, conversationId), eq(participants.userId, userId), isNull(participants.leftAt)))
      .returning({ userId: participants.userId });
    return ended.length > 0;
  }

  async makeOwner(tx: Executor, conversationId: string, userId: string): Promise<void> {
    await tx
      .update(participants)
      .set({ role: 'owner' })
      .where(and(eq(participants.conversationId, conversationId), eq(participants.userId, userId)));
  }

  /**
   * The memberships a system message concerns: the actor's read marker moves over it only if nothing
   * before it was unread, and `readerIds` (people just added) start with everything up to it read.
   */
  async recordSystemMessage(tx: Executor, input: { conversationId: string; seq: number; actorId: string; readerIds: string[] }): Promise<void> {
    const { conversationId, actorId } = input;
    const seq = sql`${input.seq}::bigint`;
    const readers = sql`array[${sql.join(
      input.readerIds.map((userId) => sql`${userId}::uuid`),
      sql`, `,
    )}]::uuid[]`;
    const actorCaughtUp = sql`(p.user_id = ${actorId} and p.last_read_seq >= ${seq} - 1)`;
    await tx.execute(sql`
      update ${participants} p
      set last_sent_seq = case when p.user_id = ${actorId} then greatest(p.last_sent_seq, ${seq}) else p.last_sent_seq end,
          last_read_seq = case when p.user_id = any(${readers}) then greatest(p.last_read_seq, ${seq}) when ${actorCaughtUp} then ${seq} else p.last_read_seq end,
          last_read_at = case when p.user_id = any(${readers}) or ${actorCaughtUp} then now() else p.last_read_at end
      where p.conversation_id = ${conversationId} and p.left_at is null and (p.user_id = ${actorId} or p.user_id = any(${readers}))`);
  }

  /** Applies a batch of reads in one statement (see readMarkersSql). */
  async moveReadMarkers(requests: ReadRequest[]): Promise<ReadOutcome[]> {
    if (requests.length === 0) return [];
    // A two-row writer (an owner leaving) can still cross a batch; the victim changed nothing, so it runs again.
    for (let attempt = 1; ; attempt++) {
      try {
        // Both drivers answer raw SQL with `{ rows }`; the shared Drizzle type does not say so.
        const result: unknown = await this.db.execute(readMarkersSql(requests));
        return (result as { rows: ReadOutcomeRow[] }).rows.map(toReadOutcome);
      } catch (error) {
        if (!isDeadlock(error) || attempt === 3) throw error;
      }
    }
  }
}

function toReadOutcome(row: ReadOutcomeRow): ReadOutcome {
  return {
    live: row.live,
    member: row.member,
    seq: row.seq === null ? null : Number(row.seq),
    participantCount: row.participant_count ?? 0,
    readReceiptsEnabled: row.read_receipts_enabled ?? false,
    lastReadSeq: Number(row.last_read_seq ?? 0),
    unreadCount: row.unread_count ?? 0,
    mentionCount: row.mention_count ?? 0,
    movedAt: row.moved_at === null ? null : new Date(row.moved_at),
  };
}
