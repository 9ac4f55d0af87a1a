import { Injectable } from '@nestjs/common';
import { conversationParticipants as participants, conversations, type Database, threadFollows, users } from '@chat/db';
import { and, eq, isNull, ne, not, sql } from 'drizzle-orm';
import { InjectDb } from '../../infra/database/database.module';
import { effectiveLevelSql, mutedNowSql } from './notification-level.sql';
import type { NotifyTarget } from './notification.policy';

export interface NotifiedMessage {
  conversationId: string;
  senderId: string;
  mentionedUserIds: string[];
  mentionsEveryone: boolean;
  /** Set on a thread reply: at level 'all' it reaches only those who follow the thread. */
  threadRootId: string | null;
  /** Ask only about these users (their membership rows by primary key) instead of the whole room. */
  among?: readonly string[];
}

/** Who to notify of a message, read from memberships, their levels and their users' settings. */
@Injectable()
export class NotificationTargetRepository {
  constructor(@InjectDb() private readonly db: Database) {}

  /**
   * One set-based select over the conversation's memberships (its primary-key range, or the rows of
   * `among` only) joined with their users: a room of 5,000 costs one statement that returns only
   * those to notify.
   */
  targetsOf(message: NotifiedMessage): Promise<NotifyTarget[]> {
    const level = effectiveLevelSql(participants, conversations, users);
    // A reply is the thread's business: 'all' and @everyone mean its followers (a name still reaches anyone).
    const hearsAll =
      message.threadRootId === null
        ? sql<boolean>`true`
        : sql<boolean>`exists (select 1 from ${threadFollows} f where f.root_id = ${message.threadRootId} and f.user_id = ${participants.userId})`;
    const mentioned = sql<boolean>`((${message.mentionsEveryone}::boolean and ${hearsAll}) or ${participants.userId} = any(${sql.param(message.mentionedUserIds)}::uuid[]))`;
    return this.db
      .select({
        userId: participants.userId,
        urgent: sql<boolean>`(${conversations.type} = 'direct' or ${mentioned})`,
        preview: users.pushPreview,
      })
      .from(participants)
      .innerJoin(conversations, and(eq(conversations.id, participants.conversationId), isNull(conversations.deletedAt)))
      .innerJoin(users, eq(users.id, participants.userId))
      .where(
        and(
          eq(participants.conversationId, message.conversationId),
          message.among ? sql`${participants.userId} = any(${sql.param([...message.among])}::uuid[])` : undefined,
          isNull(participants.leftAt),
          ne(participants.userId, message.senderId),
          not(mutedNowSql(participants.mutedUntil)),
          sql`case ${level} when 'all' then (${hearsAll} or ${mentioned}) when 'mentions' then ${mentioned} else false end`,
        ),
      );
  }
}
