import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { ConversationRow, Database, Executor } from '@chat/db';
import type { SystemEvent } from '@chat/shared';
import { InjectDb } from '../../infra/database/database.module';
import { MessageRepository, type MessageWithSender } from '../messages/message.repository';
import { UserRepository } from '../users/user.repository';
import { ConversationRepository } from './conversation.repository';
import { MembershipRepository } from './membership.repository';

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
  remaining: string[];
  deleted: boolean;
  /** The system message that records it (groups that go on only), written in the same transaction. */
  note: MessageWithSender | null;
}

/** Who made a membership change, and how it reads in the timeline. */
export type MembershipActor = { actorId: string; kind: 'members_added' | 'member_joined' };

const notLeft: LeaveOutcome = { left: false, remaining: [], deleted: false, note: null };

/**
 * Changes to a conversation that write several tables and must commit together: each runs in one
 * transaction, takes the conversation row's lock first (then memberships, in their lock order), and
 * lets each table's repository write its own rows. A change worth a line in the timeline writes its
 * system message in the same transaction.
 */
@Injectable()
export class ConversationChanges {
  constructor(
    @InjectDb() private readonly db: Database,
    private readonly conversations: ConversationRepository,
    private readonly memberships: MembershipRepository,
    private readonly messages: MessageRepository,
    private readonly users: UserRepository,
  ) {}

  /** One conversation per pair; a concurrent creator's row wins, and either way both people end up participants. */
  async openDirect(directKey: string, userIds: [string, string]): Promise<{ conversation: ConversationRow; created: boolean }> {
    return this.db.transaction(async (tx) => {
      const inserted = await this.conversations.insertDirect(tx, directKey);
      if (inserted) {
        await this.memberships.insertAll(
          tx,
          inserted.id,
          userIds.map((userId) => ({ userId })),
        );
        return { conversation: inserted, created: true };
      }
      const existing = await this.conversations.lockDirect(tx, directKey);
      await this.memberships.rejoinAll(tx, existing.id);
      const conversation = await this.conversations.update(tx, existing.id, { participantCount: 2 });
      return { conversation, created: false };
    });
  }

  async createGroup(input: { title: string; isPublic: boolean; ownerId: string; memberIds: string[] }): Promise<ConversationRow> {
    return this.db.transaction(async (tx) => {
      const { memberIds, ...group } = input;
      const conversation = await this.conversations.insertGroup(tx, { ...group, participantCount: memberIds.length + 1 });
      await this.memberships.insertAll(tx, conversation.id, [
        { userId: input.ownerId, role: 'owner' },
        ...memberIds.map((userId) => ({ userId, role: 'member' as const })),
      ]);
      return conversation;
    });
  }

  /** Applies a group's changes and records each real one (a rename, a visibility change) as a system message. */
  async update(id: string, changes: { title?: string; isPublic?: boolean }, actorId: string): Promise<{ notes: MessageWithSender[] } | null> {
    return this.db.transaction(async (tx) => {
      const before = await this.conversations.lockLive(tx, id);
      if (!before) return null;
      await this.conversations.update(tx, id, { ...changes, updatedAt: new Date() });
      const events: SystemEvent[] = [];
      if (changes.title !== undefined && changes.title !== before.title) {
        events.push({ kind: 'renamed', title: changes.title, previousTitle: before.title ?? '' });
      }
      if (changes.isPublic !== undefined && changes.isPublic !== before.isPublic) {
        events.push({ kind: 'visibility_changed', isPublic: changes.isPublic });
      }
      const notes: MessageWithSender[] = [];
      for (const event of events) notes.push(await this.writeNote(tx, id, actorId, event));
      return { notes };
    });
  }

  /** Adds users (or brings back ones who left); null if the conversation is gone or the cap would be exceeded. */
  async addMembers(conversationId: string, userIds: string[], max: number, by: MembershipActor): Promise<MembershipChange | null> {
    return this.db.transaction(async (tx) => {
      // The conversation row's lock keeps the count and the cap right under concurrent changes.
      const locked = await this.conversations.lockLive(tx, conversationId);
      if (!locked) return null;
      const before = await this.memberships.activeUserIds(conversationId, tx);
      const newcomers = userIds.filter((id) => !before.includes(id));
      if (before.length + newcomers.length > max) return null;
      await this.memberships.admit(tx, conversationId, newcomers, locked.lastSeq);
      const conversation = await this.conversations.update(tx, conversationId, { participantCount: before.length + newcomers.length, updatedAt: new Date() });
      let note: MessageWithSender | null = null;
      if (newcomers.length > 0 && locked.type === 'group') {
        const event: SystemEvent =
          by.kind === 'member_joined' ? { kind: 'member_joined' } : { kind: 'members_added', users: await this.users.publicUsers(newcomers, tx) };
        // The newcomers' markers start at this message: nothing said before they came is unread.
        note = await this.writeNote(tx, conversationId, by.actorId, event, newcomers);
      }
      return { conversation, added: newcomers, before, note };
    });
  }

  /**
   * Ends a membership. An owner leaving a group hands ownership to the longest-standing member;
   * the last person leaving deletes the conversation (its rows stay).
   */
  async removeMember(conversationId: string, userId: string, removedBy?: string): Promise<LeaveOutcome> {
    return this.db.transaction(async (tx) => {
      const locked = await this.conversations.lockLive(tx, conversationId);
      if (!locked) return notLeft;
      // The leaver's row and, for an owner, the successor's are both written.
      await this.memberships.lockActive(tx, conversationId);
      if (!(await this.memberships.end(tx, conversationId, userId))) return notLeft;
      await this.messages.forgetMentionsOf(tx, conversationId, userId);

      const remaining = await this.memberships.activeUserIds(conversationId, tx);
      const isGroup = locked.type === 'group';
      const handsOver = isGroup && locked.ownerId === userId;
      const newOwnerId = handsOver ? (remaining[0] ?? null) : null;
      if (newOwnerId) await this.memberships.makeOwner(tx, conversationId, newOwnerId);
      const deleted = isGroup && remaining.length === 0;
      const now = new Date();
      await this.conversations.update(tx, conversationId, {
        participantCount: remaining.length,
        updatedAt: now,
        ...(handsOver ? { ownerId: newOwnerId } : {}),
        ...(deleted ? { deletedAt: now } : {}),
      });
      // A direct conversation, or a group its last member ended, gets no trace.
      let note: MessageWithSender | null = null;
      if (isGroup && !deleted) {
        const event: SystemEvent = removedBy
          ? { kind: 'member_removed', users: await this.users.publicUsers([userId], tx) }
          : { kind: 'member_left', newOwner: newOwnerId ? (await this.users.publicUsers([newOwnerId], tx))[0]! : null };
        note = await this.writeNote(tx, conversationId, removedBy ?? userId, event);
      }
      return { left: true, remaining, deleted, note };
    });
  }

  /**
   * A system message as the conversation's next seq. Like a send it moves last_seq, the last message
   * and the activity time, and writes only the memberships it concerns (see recordSystemMessage).
   */
  private async writeNote(tx: Executor, conversationId: string, actorId: string, event: SystemEvent, readerIds: string[] = []): Promise<MessageWithSender> {
    const id = randomUUID();
    const [sender] = await this.users.publicUsers([actorId], tx);
    const seq = await this.conversations.takeNextSeq(tx, conversationId, id);
    if (seq === null) throw new Error(`system message for missing conversation ${conversationId}`);
    const note = await this.messages.insertSystem(tx, { id, conversationId, seq, sender: sender!, event });
    await this.memberships.recordSystemMessage(tx, { conversationId, seq, actorId, readerIds });
    return note;
  }
}
