import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import {
  type AddParticipantsRequest,
  type ConversationDetail,
  type ConversationPage,
  type ConversationPreview,
  GROUP_MAX_PARTICIPANTS,
  type ListConversationsQuery,
  type UpdateConversationRequest,
} from '@chat/shared';
import { z } from 'zod';
import { CursorCodec } from '../../common/pagination/cursor-codec';
import { MessageEvent, type MessageCreatedEvent } from '../messages/message.events';
import { toMessageDto } from '../messages/message.mapper';
import type { MessageWithSender } from '../messages/message.repository';
import { UsersService } from '../users/users.service';
import {
  ConversationEvent,
  type ConversationCreatedEvent,
  type ConversationDeletedEvent,
  type ConversationUpdatedEvent,
  type MemberLeftEvent,
  type MembersAddedEvent,
} from './conversation.events';
import { toConversationDto, toParticipantDtos } from './conversation.mapper';
import { ConversationRepository, type ListCursor, type MembershipActor } from './conversation.repository';
import { conversationErrors } from './conversations.errors';

const listCursorSchema: z.ZodType<ListCursor> = z.object({
  t: z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/),
  id: z.uuid(),
});

type CreateInput = { type: 'direct' | 'group'; title?: string; participantIds: string[]; isPublic: boolean };

@Injectable()
export class ConversationsService {
  constructor(
    private readonly conversations: ConversationRepository,
    private readonly users: UsersService,
    private readonly cursors: CursorCodec,
    private readonly events: EventEmitter2,
  ) {}

  async list(userId: string, query: ListConversationsQuery): Promise<ConversationPage> {
    const after = query.cursor ? this.cursors.decode(query.cursor, listCursorSchema) : undefined;
    const rows = await this.conversations.listForUser(userId, query.limit, after);
    const page = rows.slice(0, query.limit);
    const hasMore = rows.length > query.limit;
    const last = page.at(-1);
    return {
      conversations: page.map(toConversationDto),
      nextCursor: hasMore && last ? this.cursors.encode({ t: last.sortKey, id: last.conversation.id } satisfies ListCursor) : null,
      hasMore,
    };
  }

  /** Creates a conversation; a direct one that already exists for the pair is returned instead (`created: false`). */
  async create(userId: string, input: CreateInput): Promise<{ conversation: ConversationDetail; created: boolean }> {
    const others = [...new Set(input.participantIds)].filter((id) => id !== userId);
    if (input.type === 'direct' && others.length !== 1) throw conversationErrors.directOnlyTwo();
    if (input.type === 'group' && others.length === 0) throw conversationErrors.groupNeedsMembers();
    if (others.length + 1 > GROUP_MAX_PARTICIPANTS) throw conversationErrors.tooManyParticipants(GROUP_MAX_PARTICIPANTS);
    await this.requireUsersExist(others);

    if (input.type === 'direct') {
      const peerId = others[0]!;
      const directKey = [userId, peerId].sort().join(':');
      const { conversation, created } = await this.conversations.upsertDirect(directKey, [userId, peerId]);
      if (created) this.emit<ConversationCreatedEvent>(ConversationEvent.Created, { conversationId: conversation.id, userIds: [userId, peerId] });
      return { conversation: await this.detail(userId, conversation.id), created };
    }

    const conversation = await this.conversations.insertGroup({ title: input.title ?? '', isPublic: input.isPublic, ownerId: userId, memberIds: others });
    this.emit<ConversationCreatedEvent>(ConversationEvent.Created, { conversationId: conversation.id, userIds: [userId, ...others] });
    return { conversation: await this.detail(userId, conversation.id), created: true };
  }

  async get(userId: string, conversationId: string): Promise<ConversationDetail> {
    await this.requireParticipant(userId, conversationId);
    return this.detail(userId, conversationId);
  }

  async update(userId: string, conversationId: string, changes: UpdateConversationRequest): Promise<ConversationDetail> {
    const conversation = await this.requireParticipant(userId, conversationId);
    if (conversation.type !== 'group') throw conversationErrors.notAGroup();
    if (conversation.ownerId !== userId) throw conversationErrors.notOwner();
    const updated = await this.conversations.update(conversationId, changes, userId);
    if (!updated) throw conversationErrors.notFound();
    const userIds = await this.conversations.activeUserIds(conversationId);
    this.emit<ConversationUpdatedEvent>(ConversationEvent.Updated, { conversationId, userIds });
    this.announce(updated.notes);
    return this.detail(userId, conversationId);
  }

  async remove(userId: string, conversationId: string): Promise<void> {
    const conversation = await this.requireParticipant(userId, conversationId);
    if (conversation.type === 'direct') throw conversationErrors.directCannotBeDeleted();
    if (conversation.ownerId !== userId) throw conversationErrors.notOwner();
    const userIds = await this.conversations.activeUserIds(conversationId);
    if (await this.conversations.softDelete(conversationId)) {
      const [by] = await this.conversations.publicUsers([userId]);
      this.emit<ConversationDeletedEvent>(ConversationEvent.Deleted, { conversationId, userIds, by: by!, title: conversation.title });
    }
  }

  /** Public groups are open to anyone with the id; joining again is a no-op. */
  async join(userId: string, conversationId: string): Promise<ConversationDetail> {
    const conversation = await this.conversations.findLive(conversationId);
    if (!conversation) throw conversationErrors.notFound();
    const membership = await this.conversations.findParticipant(conversationId, userId);
    if (membership && membership.leftAt === null) return this.detail(userId, conversationId);
    if (conversation.type !== 'group' || !conversation.isPublic) throw conversationErrors.cannotJoin();
    await this.addMembers(conversationId, [userId], { actorId: userId, kind: 'member_joined' });
    return this.detail(userId, conversationId);
  }

  async leave(userId: string, conversationId: string): Promise<void> {
    const conversation = await this.requireParticipant(userId, conversationId);
    await this.endMembership(conversationId, conversation.title, userId);
  }

  async addParticipants(userId: string, conversationId: string, input: AddParticipantsRequest): Promise<ConversationDetail> {
    const conversation = await this.requireParticipant(userId, conversationId);
    if (conversation.type !== 'group') throw conversationErrors.notAGroup();
    if (conversation.ownerId !== userId) throw conversationErrors.notOwner();
    const ids = [...new Set(input.userIds)];
    await this.requireUsersExist(ids);
    await this.addMembers(conversationId, ids, { actorId: userId, kind: 'members_added' });
    return this.detail(userId, conversationId);
  }

  async removeParticipant(userId: string, conversationId: string, targetId: string): Promise<void> {
    const conversation = await this.requireParticipant(userId, conversationId);
    if (conversation.type !== 'group') throw conversationErrors.notAGroup();
    if (conversation.ownerId !== userId) throw conversationErrors.notOwner();
    if (targetId === userId) throw conversationErrors.removeSelf();
    const outcome = await this.endMembership(conversationId, conversation.title, targetId, userId);
    if (!outcome) throw conversationErrors.participantNotFound();
  }

  activeConversationIdsOf(userId: string): Promise<string[]> {
    return this.conversations.activeConversationIdsOf(userId);
  }

  /** What an invite link shows: public groups to anyone signed in, any conversation to its members, else 404. */
  async preview(userId: string, conversationId: string): Promise<ConversationPreview> {
    const conversation = await this.conversations.findLive(conversationId);
    if (!conversation) throw conversationErrors.notFound();
    const membership = await this.conversations.findParticipant(conversationId, userId);
    const isMember = membership !== null && membership.leftAt === null;
    const isPublicGroup = conversation.type === 'group' && conversation.isPublic;
    // Not 403: whether a private conversation exists is not revealed.
    if (!isMember && !isPublicGroup) throw conversationErrors.notFound();
    const participantIds = await this.conversations.activeUserIds(conversationId);
    return {
      id: conversation.id,
      type: conversation.type,
      title: conversation.type === 'group' ? conversation.title : null,
      isPublic: conversation.isPublic,
      participantCount: participantIds.length,
      isMember,
    };
  }

  /** 404 for unknown or deleted, 403 for anyone not currently in it: nothing more is revealed. */
  async requireParticipant(userId: string, conversationId: string) {
    const conversation = await this.conversations.findLive(conversationId);
    if (!conversation) throw conversationErrors.notFound();
    const membership = await this.conversations.findParticipant(conversationId, userId);
    if (!membership || membership.leftAt !== null) throw conversationErrors.notParticipant();
    return conversation;
  }

  private async addMembers(conversationId: string, userIds: string[], by: MembershipActor): Promise<void> {
    const change = await this.conversations.addParticipants(conversationId, userIds, GROUP_MAX_PARTICIPANTS, by);
    if (!change) throw conversationErrors.tooManyParticipants(GROUP_MAX_PARTICIPANTS);
    if (change.added.length > 0) {
      // Newcomers join the room first, so the message that records their arrival reaches them too.
      this.emit<MembersAddedEvent>(ConversationEvent.MembersAdded, { conversationId, addedUserIds: change.added, existingUserIds: change.before });
    }
    this.announce([change.note]);
  }

  private async endMembership(conversationId: string, title: string | null, userId: string, removedBy?: string) {
    const outcome = await this.conversations.removeParticipant(conversationId, userId, removedBy);
    if (!outcome.left) return null;
    const [by] = removedBy ? await this.conversations.publicUsers([removedBy]) : [];
    // The one who left is out of the room before the message about it goes out: they get
    // conversation:removed instead.
    this.emit<MemberLeftEvent>(ConversationEvent.MemberLeft, {
      conversationId,
      userId,
      removed: removedBy !== undefined,
      remainingUserIds: outcome.remaining,
      newOwnerId: outcome.newOwnerId,
      by,
      title,
    });
    this.announce([outcome.note]);
    return outcome;
  }

  /** System messages go out like any other message, once the change they record has committed. */
  private announce(notes: Array<MessageWithSender | null>): void {
    for (const note of notes) {
      if (note) this.emit<MessageCreatedEvent>(MessageEvent.Created, { message: toMessageDto(note), replay: false });
    }
  }

  private async requireUsersExist(ids: string[]): Promise<void> {
    const existing = new Set(await this.users.existingIds(ids));
    const unknown = ids.filter((id) => !existing.has(id));
    if (unknown.length > 0) throw conversationErrors.unknownUsers(unknown);
  }

  private async detail(userId: string, conversationId: string): Promise<ConversationDetail> {
    const [summary, participants] = await Promise.all([
      this.conversations.summaryFor(userId, conversationId),
      this.conversations.participantsOf(conversationId),
    ]);
    if (!summary) throw conversationErrors.notParticipant();
    return { ...toConversationDto(summary), participants: toParticipantDtos(participants, userId) };
  }

  private emit<T>(event: string, payload: T): void {
    this.events.emit(event, payload);
  }
}
