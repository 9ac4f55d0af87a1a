import { Injectable } from '@nestjs/common';
import { conversationParticipants, conversations, type Database, users } from '@chat/db';
import { and, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { InjectDb } from '../../infra/database/database.module';

const mine = alias(conversationParticipants, 'mine');
const theirs = alias(conversationParticipants, 'theirs');

@Injectable()
export class PresenceRepository {
  /** Asked on every connect, subscribe and transition: prepared, so neither side rebuilds it each time. */
  private readonly privacyQuery;

  constructor(@InjectDb() private readonly db: Database) {
    this.privacyQuery = db
      .select({ id: users.id, presenceEnabled: users.presenceEnabled, presenceSharing: users.presenceSharing, lastSeenAt: users.lastSeenAt })
      .from(users)
      .where(sql`${users.id} = any(${sql.placeholder('ids')}::uuid[])`)
      .prepare('chat_presence_privacy');
  }

  async markLastSeen(userId: string, at: Date): Promise<void> {
    await this.db.update(users).set({ lastSeenAt: at }).where(eq(users.id, userId));
  }

  async privacyOf(userIds: string[]) {
    if (userIds.length === 0) return [];
    return this.privacyQuery.execute({ ids: userIds });
  }

  /** Everyone who currently shares a live conversation with `userId`: the people presence is shared with. */
  async contactsOf(userId: string, among?: string[]): Promise<string[]> {
    if (among && among.length === 0) return [];
    const rows = await this.db
      .selectDistinct({ id: theirs.userId })
      .from(mine)
      .innerJoin(theirs, and(eq(theirs.conversationId, mine.conversationId), isNull(theirs.leftAt), ne(theirs.userId, userId)))
      .innerJoin(conversations, and(eq(conversations.id, mine.conversationId), isNull(conversations.deletedAt)))
      .where(and(eq(mine.userId, userId), isNull(mine.leftAt), among ? inArray(theirs.userId, among) : sql`true`));
    return rows.map((row) => row.id);
  }
}
