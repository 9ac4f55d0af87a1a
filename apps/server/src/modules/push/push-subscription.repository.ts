import { Injectable } from '@nestjs/common';
import { conversationParticipants, type Database, pushSubscriptions, type PushSubscriptionRow } from '@chat/db';
import { and, eq, getTableColumns, inArray, isNull, sql } from 'drizzle-orm';
import { InjectDb } from '../../infra/database/database.module';

/** Owns push_subscriptions. */
@Injectable()
export class PushSubscriptionRepository {
  constructor(@InjectDb() private readonly db: Database) {}

  /**
   * Stores the endpoint for the user, or moves an existing row of that endpoint to them with the
   * new keys (a browser profile that changed hands, or subscribed again). `created` tells which.
   */
  async upsert(input: { userId: string; endpoint: string; p256dh: string; auth: string }): Promise<{ row: PushSubscriptionRow; created: boolean }> {
    const [row] = await this.db
      .insert(pushSubscriptions)
      .values(input)
      .onConflictDoUpdate({
        target: pushSubscriptions.endpoint,
        set: { userId: input.userId, p256dh: input.p256dh, auth: input.auth, failureCount: 0 },
      })
      // xmax is 0 for a row this statement inserted, and set for one it updated.
      .returning({ ...getTableColumns(pushSubscriptions), created: sql<boolean>`(xmax = 0)` });
    const { created, ...stored } = row!;
    return { row: stored, created };
  }

  async findById(id: string): Promise<PushSubscriptionRow | null> {
    const [row] = await this.db.select().from(pushSubscriptions).where(eq(pushSubscriptions.id, id)).limit(1);
    return row ?? null;
  }

  async findByUser(userId: string): Promise<PushSubscriptionRow[]> {
    return this.db.select().from(pushSubscriptions).where(eq(pushSubscriptions.userId, userId));
  }

  /**
   * Current members of each conversation who have a push subscription, in one statement (see
   * PushAudience, which remembers the answers): conversation id -> user ids, empty when none.
   */
  async subscribedMembersOf(conversationIds: readonly string[]): Promise<Map<string, Set<string>>> {
    const rows = await this.db
      .selectDistinct({ conversationId: conversationParticipants.conversationId, userId: pushSubscriptions.userId })
      .from(conversationParticipants)
      .innerJoin(pushSubscriptions, eq(pushSubscriptions.userId, conversationParticipants.userId))
      .where(and(inArray(conversationParticipants.conversationId, [...conversationIds]), isNull(conversationParticipants.leftAt)));
    const members = new Map(conversationIds.map((id) => [id, new Set<string>()]));
    for (const row of rows) members.get(row.conversationId)?.add(row.userId);
    return members;
  }

  /** Deletes the user's own subscription; false when it is not theirs or does not exist. */
  async deleteOwn(userId: string, id: string): Promise<boolean> {
    const deleted = await this.db
      .delete(pushSubscriptions)
      .where(and(eq(pushSubscriptions.id, id), eq(pushSubscriptions.userId, userId)))
      .returning({ id: pushSubscriptions.id });
    return deleted.length > 0;
  }

  async delete(id: string): Promise<void> {
    await this.db.delete(pushSubscriptions).where(eq(pushSubscriptions.id, id));
  }

  async recordSuccess(id: string): Promise<void> {
    await this.db
      .update(pushSubscriptions)
      .set({ lastSuccessAt: sql`now()`, failureCount: 0 })
      .where(eq(pushSubscriptions.id, id));
  }

  async recordFailure(id: string): Promise<void> {
    await this.db
      .update(pushSubscriptions)
      .set({ failureCount: sql`${pushSubscriptions.failureCount} + 1` })
      .where(eq(pushSubscriptions.id, id));
  }
}
