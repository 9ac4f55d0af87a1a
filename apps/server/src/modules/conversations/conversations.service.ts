import { Injectable } from '@nestjs/common';
import {
  type AddParticipantsRequest,
  type ConversationDetail,
  type ConversationNotifications,
  type ConversationPage,
  type ConversationPreview,
  GROUP_MAX_PARTICIPANTS,
  type ListConversationsQuery,
  type UpdateConversationNotificationsRequest,
  type UpdateConversationRequest,
} from '@chat/shared';
import { z } from 'zod';
import { DomainEventBus } from '../../common/events/domain-event-bus';
import { CursorCodec } from '../../common/pagination/cursor-codec';
import { toMessageDto } from '../messages/message.mapper';
import type { MessageWithSender } from '../messages/message.repository';
import { UsersService } from '../users/users.service';
import { ConversationChanges, type MembershipActor } from './conversation-changes';
import { ConversationSummaryRepository, type ListCursor } from './conversation-summary.repository';
import { toConversationDto, toNotificationsDto, toParticipantDtos } from './conversation.mapper';
import { ConversationRepository } from './conversation.repository';
import { MembershipRepository } from './membership.repository';
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
    private readonly memberships: MembershipRepository,
    private readonly summaries: ConversationSummaryRepository,
    private readonly changes: ConversationChanges,
    private readonly users: UsersService,
    private readonly cursors: CursorCodec,
    private readonly events: DomainEventBus,
  ) {}

  async list(userId: string, query: ListConversationsQuery): Promise<ConversationPage> {
    const after = query.cursor ? this.cursors.decode(query.cursor, listCursorSchema) : undefined;
    const rows = await this.summaries.listForUser(userId, query.limit, after);
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
      const { conversation, created } = await this.changes.openDirect(directKey, [userId, peerId]);
      if (created) this.events.emit('conversation.created', { conversationId: conversation.id, userIds: [userId, peerId] });
      return { conversation: await this.detail(userId, conversation.id), created };
    }

    const conversation = await this.changes.createGroup({ title: input.title ?? '', isPublic: input.isPublic, ownerId: userId, memberIds: others });
    this.events.emit('conversation.created', { conversationId: conversation.id, userIds: [userId, ...others] });
    return { conversation: await this.detail(userId, conversation.id), created: true };
  }

  async get(userId: string, conversationId: string): Promise<ConversationDetail> {
    await this.requireParticipant(userId, conversationId);
    return this.detail(userId, conversationId);
  }

  async update(userId: string, conversationId: string, changes: UpdateConversationRequest): Promise<ConversationDetail> {
    await this.requireOwnerOfGroup(userId, conversationId);
    const updated = await this.changes.update(conversationId, changes, userId);
    if (!updated) throw conversationErrors.notFound();
    this.events.emit('conversation.updated', { conversationId });
    this.announce(updated.notes);
    return this.detail(userId, conversationId);
  }

  /** The caller's own level and mute of a conversation; every device of theirs is told. */
  async setNotifications(userId: string, conversationId: string, input: UpdateConversationNotificationsRequest): Promise<ConversationNotifications> {
    await this.requireParticipant(userId, conversationId);
    const level = input.level === 'default' ? null : input.level;
    const mutedUntil = input.mutedUntil === undefined ? undefined : input.mutedUntil === null ? null : new Date(input.mutedUntil);
    // Left between the check and the write: the same answer as if the check had seen it.
    if (!(await this.memberships.setNotifications(conversationId, userId, { level, mutedUntil }))) throw conversationErrors.notParticipant();
    const row = await this.memberships.notificationsOf(conversationId, userId);
    if (!row) throw conversationErrors.notParticipant();
    const notifications = toNotificationsDto(row);
    this.events.emit('conversation.notifications-changed', { userId, conversationId, notifications });
    return notifications;
  }

  async remove(userId: string, conversationId: string): Promise<void> {
    const conversation = await this.requireParticipant(userId, conversationId);
    if (conversation.type === 'direct') throw conversationErrors.directCannotBeDeleted();
    if (conversation.ownerId !== userId) throw conversationErrors.notOwner();
    const userIds = await this.memberships.activeUserIds(conversationId);
    if (await this.conversations.softDelete(conversationId)) {
      const [by] = await this.users.publicUsers([userId]);
      this.events.emit('conversation.deleted', { conversationId, userIds, by: by!, title: conversation.title });
    }
  }

  /** Public groups are open to anyone with the id; joining again is a no-op. */
  async join(userId: string, conversationId: string): Promise<ConversationDetail> {
    const { conversation, isMember } = await this.membershipOf(userId, conversationId);
    if (isMember) return this.detail(userId, conversationId);
    if (conversation.type !== 'group' || !conversation.isPublic) throw conversationErrors.cannotJoin();
    await this.addMembers(conversationId, [userId], { actorId: userId, kind: 'member_joined' });
    return this.detail(userId, conversationId);
  }

  async leave(userId: string, conversationId: string): Promise<void> {
    const conversation = await this.requireParticipant(userId, conversationId);
    await this.endMembership(conversationId, conversation.title, userId);
  }

  async addParticipants(userId: string, conversationId: string, input: AddParticipantsRequest): Promise<ConversationDetail> {
    await this.requireOwnerOfGroup(userId, conversationId);
    const ids = [...new Set(input.userIds)];
    await this.requireUsersExist(ids);
    await this.addMembers(conversationId, ids, { actorId: userId, kind: 'members_added' });
    return this.detail(userId, conversationId);
  }

  async removeParticipant(userId: string, conversationId: string, targetId: string): Promise<void> {
    const conversation = await this.requireOwnerOfGroup(userId, conversationId);
    if (targetId === userId) throw conversationErrors.removeSelf();
    const outcome = await this.endMembership(conversationId, conversation.title, targetId, userId);
    if (!outcome) throw conversationErrors.participantNotFound();
  }

  activeConversationIdsOf(userId: string): Promise<string[]> {
    return this.memberships.activeConversationIdsOf(userId);
  }

  /** What an invite link shows: public groups to anyone signed in, any conversation to its members, else 404. */
  async preview(userId: string, conversationId: string): Promise<ConversationPreview> {
    const { conversation, isMember } = await this.membershipOf(userId, conversationId);
    const isPublicGroup = conversation.type === 'group' && conversation.isPublic;
    // Not 403: whether a private conversation exists is not revealed.
    if (!isMember && !isPublicGroup) throw conversationErrors.notFound();
    const participantIds = await this.memberships.activeUserIds(conversationId);
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
    const { conversation, isMember } = await this.membershipOf(userId, conversationId);
    if (!isMember) throw conversationErrors.notParticipant();
    return conversation;
  }

  /** The seq of the conversation's newest message (0 when there is none). */
  lastSeq(conversationId: string): Promise<number> {
    return this.conversations.lastSeq(conversationId);
  }

  /** The live conversation (else 404) and whether the user is currently in it. */
  private async membershipOf(userId: string, conversationId: string) {
    const found = await this.conversations.findLiveForMember(conversationId, userId);
    if (!found) throw conversationErrors.notFound();
    return found;
  }

  private async requireOwnerOfGroup(userId: string, conversationId: string) {
    const conversation = await this.requireParticipant(userId, conversationId);
    if (conversation.type !== 'group') throw conversationErrors.notAGroup();
    if (conversation.ownerId !== userId) throw conversationErrors.notOwner();
    return conversation;
  }

  private async addMembers(conversationId: string, userIds: string[], by: MembershipActor): Promise<void> {
    const change = await this.changes.addMembers(conversationId, userIds, GROUP_MAX_PARTICIPANTS, by);
    if (!change) throw conversationErrors.tooManyParticipants(GROUP_MAX_PARTICIPANTS);
    if (change.added.length > 0) {
      // Newcomers join the room first, so the message that records their arrival reaches them too.
      this.events.emit('conversation.members-added', { conversationId, addedUserIds: change.added, existingUserIds: change.before });
    }
    this.announce([change.note]);
  }

  private async endMembership(conversationId: string, title: string | null, userId: string, removedBy?: string) {
    const outcome = await this.changes.removeMember(conversationId, userId, removedBy);
    if (!outcome.left) return null;
    const [by] = removedBy ? await this.users.publicUsers([removedBy]) : [];
    // The one who left is out of the room before the message about it goes out: they get
    // conversation:removed instead.
    this.events.emit('conversation.member-left', { conversationId, userId, removed: removedBy !== undefined, remainingUserIds: outcome.remaining, by, title });
    this.announce([outcome.note]);
    return outcome;
  }

  /** System messages go out like any other message, once the change they record has committed. */
  private announce(notes: Array<MessageWithSender | null>): void {
    for (const note of notes) {
      if (note) this.events.emit('message.created', { message: toMessageDto(note), created: true });
    }
  }

  private async requireUsersExist(ids: string[]): Promise<void> {
    const existing = new Set(await this.users.existingIds(ids));
    const unknown = ids.filter((id) => !existing.has(id));
    if (unknown.length > 0) throw conversationErrors.unknownUsers(unknown);
  }

  private async detail(userId: string, conversationId: string): Promise<ConversationDetail> {
    const [summary, participants] = await Promise.all([this.summaries.summaryFor(userId, conversationId), this.memberships.members(conversationId)]);
    if (!summary) throw conversationErrors.notParticipant();
    return { ...toConversationDto(summary), participants: toParticipantDtos(participants, userId) };
  }
}
