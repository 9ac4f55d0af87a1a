import { Injectable } from '@nestjs/common';
import { conversationParticipants as participants, conversations, type Database, files, messages, users } from '@chat/db';
import { and, desc, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { InjectDb } from '../../infra/database/database.module';
import { notificationsSelection } from '../notifications/notification-level.sql';
import { type MembershipColumns, mentionCountSql, unreadCountSql } from './membership.sql';

export interface ListCursor {
  /** last_activity_at as PostgreSQL prints it: microsecond precision survives the round trip. */
  t: string;
  id: string;
}

const sender = alias(users, 'sender');
const peerParticipant = alias(participants, 'peer_participant');
const peerUser = alias(users, 'peer_user');

// The list order: the conversation's own activity time, newest first (ties by id, for a stable cursor).
const newestFirst = [desc(conversations.lastActivityAt), desc(conversations.id)];

const membership: MembershipColumns = {
  conversationId: conversations.id,
  userId: participants.userId,
  lastSeq: conversations.lastSeq,
  lastReadSeq: participants.lastReadSeq,
  lastSentSeq: participants.lastSentSeq,
  lastReplySeq: conversations.lastReplySeq,
};

/** The conversation list as a user sees it: one row per membership, with preview, peer, unread and mention counts and notification level. */
@Injectable()
export class ConversationSummaryRepository {
  constructor(@InjectDb() private readonly db: Database) {}

  /**
   * One page of a user's conversations, newest activity first; fetches one extra row to tell if
   * there is more. The page's ids are chosen first over the bare sort key, so the previews, peers
   * and unread corrections are looked up for those rows only, not for every conversation the user
   * is in (thousands, for some).
   */
  listForUser(userId: string, limit: number, after?: ListCursor) {
    // The user's memberships (participants_active_user_idx), each looked up in its conversation by
    // primary key for the sort key, then top-N sorted: a send writes no membership but the sender's,
    // so the order lives on the conversation only. The scalar subquery keeps that a probe per
    // membership (a user in 2,000 conversations costs 2,000 probes of warm pages) rather than a join
    // the planner may turn into a scan of every conversation; OFFSET 0 evaluates it once per row.
    const pageIds = sql`(
      select s.id from (
        select ${participants.conversationId} as id,
               (select c.last_activity_at from ${conversations} c where c.id = ${participants.conversationId} and c.deleted_at is null) as t
        from ${participants}
        where ${participants.userId} = ${userId} and ${participants.leftAt} is null
        offset 0
      ) s
      where s.t is not null ${after ? sql`and (s.t, s.id) < (${after.t}::timestamptz, ${after.id}::uuid)` : sql``}
      order by s.t desc, s.id desc
      limit ${limit + 1}
    )`;
    return this.summaries(userId)
      .where(and(eq(participants.userId, userId), isNull(participants.leftAt), inArray(participants.conversationId, pageIds)))
      .orderBy(...newestFirst);
  }

  async summaryFor(userId: string, conversationId: string) {
    const [row] = await this.summaries(userId).where(
      and(eq(participants.userId, userId), eq(participants.conversationId, conversationId), isNull(participants.leftAt)),
    );
    return row ?? null;
  }

  private summaries(userId: string) {
    return this.db
      .select({
        conversation: conversations,
        sortKey: sql<string>`${conversations.lastActivityAt}::text`,
        role: participants.role,
        lastReadSeq: participants.lastReadSeq,
        unreadCount: unreadCountSql(membership),
        mentionCount: mentionCountSql(membership),
        // `users` is the viewer (joined on the membership): their defaults decide levels not set per conversation.
        notifications: notificationsSelection(participants, conversations, users),
        lastMessage: {
          id: messages.id,
          seq: messages.seq,
          senderId: messages.senderId,
          preview: sql<string>`left(${messages.content}, 100)`,
          createdAt: messages.createdAt,
          deletedAt: messages.deletedAt,
          system: messages.system,
          // At most 10 names, by the files' index on message_id: one probe per row of the page.
          attachmentNames: sql<
            string[] | null
          >`(select array_agg(${files.name} order by ${files.createdAt}, ${files.id}) from ${files} where ${files.messageId} = ${messages.id})`,
        },
        senderName: sender.displayName,
        peer: { id: peerUser.id, displayName: peerUser.displayName },
      })
      .from(participants)
      .innerJoin(conversations, and(eq(conversations.id, participants.conversationId), isNull(conversations.deletedAt)))
      .innerJoin(users, eq(users.id, participants.userId))
      .leftJoin(messages, eq(messages.id, conversations.lastMessageId))
      .leftJoin(sender, eq(sender.id, messages.senderId))
      .leftJoin(
        peerParticipant,
        and(eq(conversations.type, 'direct'), eq(peerParticipant.conversationId, conversations.id), ne(peerParticipant.userId, userId)),
      )
      .leftJoin(peerUser, eq(peerUser.id, peerParticipant.userId))
      .$dynamic();
  }
}

export type ConversationSummaryRow = NonNullable<Awaited<ReturnType<ConversationSummaryRepository['summaryFor']>>>;
