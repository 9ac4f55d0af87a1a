import { Injectable } from '@nestjs/common';
import { conversationParticipants, type Database, type Executor, messageReactions, messages, users } from '@chat/db';
import { type MessageReaction, REACTION_DISTINCT_MAX, REACTION_USERS_MAX, type ReactionUsers } from '@chat/shared';
import { and, asc, eq, inArray, isNull, type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import { uuidArrayLiteral } from '../files/file.repository';
import { InjectDb } from '../../infra/database/database.module';

export type ToggleOutcome =
  | { kind: 'changed'; reactionsVersion: number; reactions: MessageReaction[] }
  /** A duplicate add or the removal of a reaction that is not there: nothing was written. */
  | { kind: 'unchanged' }
  /** An add of a new emoji to a message that already has REACTION_DISTINCT_MAX of them. */
  | { kind: 'too-many' }
  /** Not a live text message of that conversation, or the user is not a current member of it. */
  | { kind: 'refused' };

/** Aborts the transaction of a change that turned out to write nothing, so the version stays as it was. */
class NoChange extends Error {
  constructor(readonly outcome: Exclude<ToggleOutcome, { kind: 'changed' }>) {
    super(outcome.kind);
  }
}

const firstReacted = sql`min(${messageReactions.createdAt})`;

type ReactionTotalRow = { messageId: string; emoji: string; count: number; me: boolean };

@Injectable()
export class ReactionRepository {
  constructor(@InjectDb() private readonly db: Database) {}

  /**
   * Adds (`on`) or removes one user's emoji on a message, in one transaction, so totals stay exact
   * whatever the concurrency:
   * 1. bump messages.reactions_version (and updated_at, so catch-up by updatedSince returns the
   *    message): the row lock queues every other change of this message's reactions behind this
   *    one. It writes only if the message is live text of the conversation and the user a current
   *    member. This is the one write of `messages` outside MessageRepository: the lock must be
   *    taken in the same transaction as the reaction rows it guards;
   * 2. insert or delete the reaction (the distinct-emoji limit is checked here, under the lock);
   * 3. read the totals in a new statement: under READ COMMITTED it sees every change that
   *    committed while this one waited for the lock, and no later one can commit before it.
   * A change that writes nothing rolls back, so neither the version nor updated_at moves.
   */
  async toggle(input: { conversationId: string; messageId: string; userId: string; emoji: string; on: boolean }): Promise<ToggleOutcome> {
    const { messageId, userId, emoji } = input;
    try {
      return await this.db.transaction(async (tx) => {
        const [locked] = await tx
          .update(messages)
          .set({ reactionsVersion: sql`${messages.reactionsVersion} + 1`, updatedAt: sql`clock_timestamp()` })
          .where(
            and(
              eq(messages.id, messageId),
              eq(messages.conversationId, input.conversationId),
              eq(messages.contentType, 'text'),
              isNull(messages.deletedAt),
              sql`exists (${tx
                .select({ one: sql`1` })
                .from(conversationParticipants)
                .where(
                  and(
                    eq(conversationParticipants.conversationId, input.conversationId),
                    eq(conversationParticipants.userId, userId),
                    isNull(conversationParticipants.leftAt),
                  ),
                )})`,
            ),
          )
          .returning({ reactionsVersion: messages.reactionsVersion });
        if (!locked) return { kind: 'refused' } as const;
        if (input.on) await this.add(tx, messageId, userId, emoji);
        else await this.remove(tx, messageId, userId, emoji);
        const reactions = (await this.totals(tx, [messageId], userId)).get(messageId) ?? [];
        return { kind: 'changed', reactionsVersion: locked.reactionsVersion, reactions } as const;
      });
    } catch (error) {
      if (error instanceof NoChange) return error.outcome;
      throw error;
    }
  }

  /**
   * The reactions of many messages in one query, by message id, each ordered by first reaction;
   * `me` is the viewer's (false for all when there is none). Messages without reactions are absent.
   */
  async totals(db: Executor | null, messageIds: readonly string[], viewerId: string | null): Promise<Map<string, MessageReaction[]>> {
    const byMessage = new Map<string, MessageReaction[]>();
    if (messageIds.length === 0) return byMessage;
    // A page read by a viewer (every history and thread page) runs prepared; a transaction's own read does not.
    const rows =
      db === null && viewerId !== null
        ? await (this.viewerTotalsQuery ??= this.totalsQuery(this.db, sql.placeholder('viewerId'), sql`${sql.placeholder('messageIds')}::uuid[]`).prepare(
            'chat_reaction_totals',
          )).execute({ viewerId, messageIds: uuidArrayLiteral(messageIds) })
        : await this.totalsQuery(db ?? this.db, viewerId, [...messageIds]);
    for (const { messageId, ...reaction } of rows) {
      const list = byMessage.get(messageId);
      if (list) list.push(reaction);
      else byMessage.set(messageId, [reaction]);
    }
    return byMessage;
  }

  private viewerTotalsQuery?: { execute(values: { viewerId: string; messageIds: string }): Promise<ReactionTotalRow[]> };

  private totalsQuery(db: Executor, viewerId: string | null | SQLWrapper, messageIds: string[] | SQL) {
    return db
      .select({
        messageId: messageReactions.messageId,
        emoji: messageReactions.emoji,
        count: sql<number>`count(*)::int`,
        me: viewerId === null ? sql<boolean>`false` : sql<boolean>`bool_or(${messageReactions.userId} = ${viewerId})`,
      })
      .from(messageReactions)
      .where(Array.isArray(messageIds) ? inArray(messageReactions.messageId, messageIds) : sql`${messageReactions.messageId} = any(${messageIds})`)
      .groupBy(messageReactions.messageId, messageReactions.emoji)
      .orderBy(asc(messageReactions.messageId), asc(firstReacted), asc(messageReactions.emoji));
  }

  /** Who reacted with each emoji (the first REACTION_USERS_MAX of each, in order), emoji by first reaction. */
  async reactors(messageId: string): Promise<ReactionUsers[]> {
    const ranked = this.db
      .select({
        emoji: messageReactions.emoji,
        userId: messageReactions.userId,
        rank: sql<number>`row_number() over (partition by ${messageReactions.emoji} order by ${messageReactions.createdAt}, ${messageReactions.userId})`.as(
          'rank',
        ),
        count: sql<number>`count(*) over (partition by ${messageReactions.emoji})`.as('count'),
        first: sql<Date>`min(${messageReactions.createdAt}) over (partition by ${messageReactions.emoji})`.as('first'),
      })
      .from(messageReactions)
      .where(eq(messageReactions.messageId, messageId))
      .as('ranked');
    const rows = await this.db
      .select({ emoji: ranked.emoji, count: ranked.count, id: users.id, displayName: users.displayName })
      .from(ranked)
      .innerJoin(users, eq(users.id, ranked.userId))
      .where(sql`${ranked.rank} <= ${REACTION_USERS_MAX}`)
      .orderBy(asc(ranked.first), asc(ranked.emoji), asc(ranked.rank));
    const list: ReactionUsers[] = [];
    for (const row of rows) {
      const last = list.at(-1);
      const user = { id: row.id, displayName: row.displayName };
      if (last?.emoji === row.emoji) last.users.push(user);
      else list.push({ emoji: row.emoji, count: Number(row.count), users: [user] });
    }
    return list;
  }

  private async add(tx: Executor, messageId: string, userId: string, emoji: string): Promise<void> {
    const [present] = await tx
      .select({
        distinct: sql<number>`count(distinct ${messageReactions.emoji})::int`,
        known: sql<boolean>`coalesce(bool_or(${messageReactions.emoji} = ${emoji}), false)`,
        mine: sql<boolean>`coalesce(bool_or(${messageReactions.emoji} = ${emoji} and ${messageReactions.userId} = ${userId}), false)`,
      })
      .from(messageReactions)
      .where(eq(messageReactions.messageId, messageId));
    if (present?.mine) throw new NoChange({ kind: 'unchanged' });
    if (!present?.known && (present?.distinct ?? 0) >= REACTION_DISTINCT_MAX) throw new NoChange({ kind: 'too-many' });
    await tx.insert(messageReactions).values({ messageId, userId, emoji });
  }

  private async remove(tx: Executor, messageId: string, userId: string, emoji: string): Promise<void> {
    const removed = await tx
      .delete(messageReactions)
      .where(and(eq(messageReactions.messageId, messageId), eq(messageReactions.userId, userId), eq(messageReactions.emoji, emoji)))
      .returning({ emoji: messageReactions.emoji });
    if (removed.length === 0) throw new NoChange({ kind: 'unchanged' });
  }
}
