import { Injectable } from '@nestjs/common';
import {
  type ConversationRow,
  conversationParticipants as participants,
  conversations,
  type Database,
  type Executor,
  messages,
  type ParticipantRow,
  users,
} from '@chat/db';
import { and, asc, desc, eq, inArray, isNotNull, isNull, ne, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { PublicUser, SystemEvent } from '@chat/shared';
import { InjectDb } from '../../infra/database/database.module';
import { MessageRepository, type MessageWithSender } from '../messages/message.repository';
import { unreadCountSql } from '../messages/unread-count.sql';

export interface ListCursor {
  /** last_activity_at as PostgreSQL prints it: microsecond precision survives the round trip. */
  t: string;
  id: string;
}

export interface MembershipChange {
  conversation: ConversationRow;
  /** Users who became participants (new or returning). */
  added: string[];
  /** Participants before the change. */
  before: string[];
  /** The system message that records it, written in the same transaction; null when nobody was added. */
  note: MessageWithSender | null;
}

export interface LeaveOutcome {
  left: boolean;
  newOwnerId: string | null;
  remaining: string[];
  deleted: boolean;
  /** The system message that records it (groups that go on only), written in the same transaction. */
  note: MessageWithSender | null;
}

/** Who made a membership change, and how it reads in the timeline. */
export type MembershipActor = { actorId: string; kind: 'members_added' | 'member_joined' };

const sender = alias(users, 'sender');
const peerParticipant = alias(participants, 'peer_participant');
const peerUser = alias(users, 'peer_user');

// The list order: the conversation's own activity time, newest first (ties by id, for a stable cursor).
const newestFirst = [desc(conversations.lastActivityAt), desc(conversations.id)];

@Injectable()
export class ConversationRepository {
  private activeIdsQuery?: { execute(values: { userId: string }): Promise<Array<{ id: string }>> };

  constructor(
    @InjectDb() private readonly db: Database,
    private readonly messages: MessageRepository,
  ) {}

  /** The conversation unless it does not exist or was deleted. */
  async findLive(id: string): Promise<ConversationRow | null> {
    const [row] = await this.db
      .select()
      .from(conversations)
      .where(and(eq(conversations.id, id), isNull(conversations.deletedAt)))
      .limit(1);
    return row ?? null;
  }

  async findParticipant(conversationId: string, userId: string): Promise<ParticipantRow | null> {
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

  /** Ids of current participants, oldest member first. */
  async activeUserIds(conversationId: string, db: Executor = this.db): Promise<string[]> {
    const rows = await db
      .select({ userId: participants.userId })
      .from(participants)
      .where(and(eq(participants.conversationId, conversationId), isNull(participants.leftAt)))
      .orderBy(asc(participants.joinedAt), asc(participants.userId));
    return rows.map((row) => row.userId);
  }

  /**
   * One conversation per pair: the partial unique index on direct_key decides between concurrent
   * creators, and the loser reads the winner's row. Either way both people end up participants.
   */
  async upsertDirect(directKey: string, userIds: [string, string]): Promise<{ conversation: ConversationRow; created: boolean }> {
    return this.db.transaction(async (tx) => {
      const [inserted] = await tx
        .insert(conversations)
        .values({ type: 'direct', directKey, participantCount: 2 })
        .onConflictDoNothing({ target: conversations.directKey, where: isNotNull(conversations.directKey) })
        .returning();
      if (inserted) {
        await tx.insert(participants).values(userIds.map((userId) => ({ conversationId: inserted.id, userId })));
        return { conversation: inserted, created: true };
      }
      const [existing] = await tx.select().from(conversations).where(eq(conversations.directKey, directKey)).for('update');
      // Someone who had left the conversation is back in it.
      await tx
        .update(participants)
        .set({ leftAt: null, joinedAt: new Date() })
        .where(and(eq(participants.conversationId, existing!.id), isNotNull(participants.leftAt)));
      const [conversation] = await tx
        .update(conversations)
        .set({ participantCount: 2 })
        .where(eq(conversations.id, existing!.id))
        .returning();
      return { conversation: conversation!, created: false };
    });
  }

  async insertGroup(input: { title: string; isPublic: boolean; ownerId: string; memberIds: string[] }): Promise<ConversationRow> {
    return this.db.transaction(async (tx) => {
      const [conversation] = await tx
        .insert(conversations)
        .values({
          type: 'group',
          title: input.title,
          isPublic: input.isPublic,
          ownerId: input.ownerId,
          participantCount: input.memberIds.length + 1,
        })
        .returning();
      await tx.insert(participants).values([
        { conversationId: conversation!.id, userId: input.ownerId, role: 'owner' as const },
        ...input.memberIds.map((userId) => ({ conversationId: conversation!.id, userId, role: 'member' as const })),
      ]);
      return conversation!;
    });
  }

  /** Applies a group's changes and records each real one (a rename, a visibility change) as a system message. */
  async update(
    id: string,
    changes: { title?: string; isPublic?: boolean },
    actorId: string,
  ): Promise<{ conversation: ConversationRow; notes: MessageWithSender[] } | null> {
    return this.db.transaction(async (tx) => {
      const [before] = await tx
        .select()
        .from(conversations)
        .where(and(eq(conversations.id, id), isNull(conversations.deletedAt)))
        .for('update');
      if (!before) return null;
      const [conversation] = await tx
        .update(conversations)
        .set({ ...changes, updatedAt: new Date() })
        .where(eq(conversations.id, id))
        .returning();
      const events: SystemEvent[] = [];
      if (changes.title !== undefined && changes.title !== before.title) {
        events.push({ kind: 'renamed', title: changes.title, previousTitle: before.title ?? '' });
      }
      if (changes.isPublic !== undefined && changes.isPublic !== before.isPublic) {
        events.push({ kind: 'visibility_changed', isPublic: changes.isPublic });
      }
      const notes: MessageWithSender[] = [];
      for (const event of events) notes.push(await this.messages.insertSystem(tx, { conversationId: id, senderId: actorId, event }));
      return { conversation: conversation!, notes };
    });
  }

  /** Soft delete; freeing direct_key lets the same pair start a new direct conversation later. */
  async softDelete(id: string): Promise<boolean> {
    const deletedAt = new Date();
    const rows = await this.db
      .update(conversations)
      .set({ deletedAt, directKey: null, updatedAt: deletedAt })
      .where(and(eq(conversations.id, id), isNull(conversations.deletedAt)))
      .returning({ id: conversations.id });
    return rows.length > 0;
  }

  /**
   * Adds users (or brings back ones who left) under a lock on the conversation row, so the
   * participant count and the size cap hold under concurrent changes. Returns null if the cap
   * would be exceeded.
   */
  async addParticipants(conversationId: string, userIds: string[], max: number, by: MembershipActor): Promise<MembershipChange | null> {
    return this.db.transaction(async (tx) => {
      const [locked] = await tx
        .select()
        .from(conversations)
        .where(and(eq(conversations.id, conversationId), isNull(conversations.deletedAt)))
        .for('update');
      if (!locked) return null;
      const before = await this.activeUserIds(conversationId, tx);
      const newcomers = userIds.filter((id) => !before.includes(id));
      if (before.length + newcomers.length > max) return null;
      if (newcomers.length > 0) {
        await tx
          .insert(participants)
          // History stays readable, but what was said before joining is not unread.
          .values(newcomers.map((userId) => ({ conversationId, userId, lastReadSeq: locked.lastSeq })))
          .onConflictDoUpdate({
            target: [participants.conversationId, participants.userId],
            set: {
              leftAt: null,
              joinedAt: new Date(),
              role: 'member',
              lastReadSeq: sql`greatest(${participants.lastReadSeq}, ${locked.lastSeq})`,
            },
          });
      }
      const [conversation] = await tx
        .update(conversations)
        .set({ participantCount: before.length + newcomers.length, updatedAt: new Date() })
        .where(eq(conversations.id, conversationId))
        .returning();
      let note: MessageWithSender | null = null;
      if (newcomers.length > 0 && locked.type === 'group') {
        const event: SystemEvent =
          by.kind === 'member_joined' ? { kind: 'member_joined' } : { kind: 'members_added', users: await this.publicUsers(newcomers, tx) };
        // The newcomers' markers start at this message: nothing said before they came is unread.
        note = await this.messages.insertSystem(tx, { conversationId, senderId: by.actorId, event, readerIds: newcomers });
      }
      return { conversation: conversation!, added: newcomers, before, note };
    });
  }

  /**
   * Ends a membership. An owner leaving a group hands ownership to the longest-standing member;
   * the last person leaving deletes the conversation (its rows stay).
   */
  async removeParticipant(conversationId: string, userId: string, removedBy?: string): Promise<LeaveOutcome> {
    return this.db.transaction(async (tx) => {
      const [locked] = await tx
        .select()
        .from(conversations)
        .where(and(eq(conversations.id, conversationId), isNull(conversations.deletedAt)))
        .for('update');
      if (!locked) return { left: false, newOwnerId: null, remaining: [], deleted: false, note: null };
      // The leaver's row and, for an owner, the successor's are both written: lock the members in
      // user order first, the order read batches use, so the two cannot deadlock.
      await tx.execute(sql`
        select 1 from ${participants} where conversation_id = ${conversationId} and left_at is null order by user_id for update`);
      const [left] = await tx
        .update(participants)
        .set({ leftAt: new Date(), role: 'member' })
        .where(and(eq(participants.conversationId, conversationId), eq(participants.userId, userId), isNull(participants.leftAt)))
        .returning({ userId: participants.userId });
      if (!left) return { left: false, newOwnerId: null, remaining: [], deleted: false, note: null };

      const remaining = await this.activeUserIds(conversationId, tx);
      let newOwnerId: string | null = null;
      const changes: Partial<ConversationRow> = { participantCount: remaining.length, updatedAt: new Date() };
      if (locked.type === 'group' && locked.ownerId === userId) {
        newOwnerId = remaining[0] ?? null;
        changes.ownerId = newOwnerId;
        if (newOwnerId) {
          await tx
            .update(participants)
            .set({ role: 'owner' })
            .where(and(eq(participants.conversationId, conversationId), eq(participants.userId, newOwnerId)));
        }
      }
      const deleted = locked.type === 'group' && remaining.length === 0;
      if (deleted) changes.deletedAt = new Date();
      await tx.update(conversations).set(changes).where(eq(conversations.id, conversationId));
      // A direct conversation, or a group its last member ended, gets no trace.
      let note: MessageWithSender | null = null;
      if (locked.type === 'group' && !deleted) {
        const event: SystemEvent = removedBy
          ? { kind: 'member_removed', users: await this.publicUsers([userId], tx) }
          : { kind: 'member_left', newOwner: newOwnerId ? (await this.publicUsers([newOwnerId], tx))[0]! : null };
        note = await this.messages.insertSystem(tx, { conversationId, senderId: removedBy ?? userId, event });
      }
      return { left: true, newOwnerId, remaining, deleted, note };
    });
  }

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

  /** Names as they are now, in the order of `ids`. */
  async publicUsers(ids: string[], db: Executor = this.db): Promise<PublicUser[]> {
    if (ids.length === 0) return [];
    const rows = await db.select({ id: users.id, displayName: users.displayName }).from(users).where(inArray(users.id, ids));
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  async participantsOf(conversationId: string) {
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

  private summaries(userId: string) {
    return this.db
      .select({
        conversation: conversations,
        sortKey: sql<string>`${conversations.lastActivityAt}::text`,
        role: participants.role,
        lastReadSeq: participants.lastReadSeq,
        unreadCount: unreadCountSql({
          conversationId: conversations.id,
          userId: participants.userId,
          lastSeq: conversations.lastSeq,
          lastReadSeq: participants.lastReadSeq,
          lastSentSeq: participants.lastSentSeq,
        }),
        lastMessage: {
          id: messages.id,
          seq: messages.seq,
          senderId: messages.senderId,
          preview: sql<string>`left(${messages.content}, 100)`,
          createdAt: messages.createdAt,
          deletedAt: messages.deletedAt,
          system: messages.system,
        },
        senderName: sender.displayName,
        peer: { id: peerUser.id, displayName: peerUser.displayName },
      })
      .from(participants)
      .innerJoin(conversations, and(eq(conversations.id, participants.conversationId), isNull(conversations.deletedAt)))
      .leftJoin(messages, eq(messages.id, conversations.lastMessageId))
      .leftJoin(sender, eq(sender.id, messages.senderId))
      .leftJoin(
        peerParticipant,
        and(
          eq(conversations.type, 'direct'),
          eq(peerParticipant.conversationId, conversations.id),
          ne(peerParticipant.userId, userId),
        ),
      )
      .leftJoin(peerUser, eq(peerUser.id, peerParticipant.userId))
      .$dynamic();
  }
}

export type ConversationSummaryRow = NonNullable<Awaited<ReturnType<ConversationRepository['summaryFor']>>>;
