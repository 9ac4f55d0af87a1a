import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import type { SessionRevokedEvent } from '../auth/auth.events';
import { AuthEvent } from '../auth/auth.events';
import {
  ConversationEvent,
  type ConversationCreatedEvent,
  type ConversationDeletedEvent,
  type ConversationUpdatedEvent,
  type MemberLeftEvent,
  type MembersAddedEvent,
} from '../conversations/conversation.events';
import { MessageEvent, type MessageCreatedEvent, type MessageDeletedDomainEvent, type MessageUpdatedEvent } from '../messages/message.events';
import {
  type ConversationReadDomainEvent,
  type ReceiptCountDomainEvent,
  ReceiptEvent,
  type ReceiptUpdatedDomainEvent,
} from '../receipts/receipt.events';
import { PresenceEvent, type PresenceChangedEvent, type PresenceSharedEvent, type PresenceWithdrawnEvent } from '../presence/presence.events';
import { MetricsService } from '../metrics/metrics.service';
import { ConversationsService } from '../conversations/conversations.service';
import { UserEvent, type UserProfileChangedEvent } from '../users/user.events';
import { ChatGateway } from './chat.gateway';
import { rooms } from './chat-socket.types';
import { sharePresence, withdrawPresence } from './presence-watch';

/**
 * Turns domain events into socket emits. Every device of every participant is in the conversation's
 * room (joined on connect and on membership changes), so one emit per event reaches them all, on
 * every node through the Socket.io adapter.
 */
@Injectable()
export class RealtimeFanout {
  constructor(
    private readonly gateway: ChatGateway,
    private readonly metrics: MetricsService,
    private readonly conversations: ConversationsService,
  ) {}

  private get server() {
    return this.gateway.server;
  }

  @OnEvent(MessageEvent.Created)
  onMessageCreated({ message, originSocketId }: MessageCreatedEvent): void {
    const target = this.server.to(rooms.conversation(message.conversationId));
    (originSocketId ? target.except(originSocketId) : target).emit('message:received', { message });
    this.metrics.messagesDelivered.inc();
  }

  @OnEvent(MessageEvent.Updated)
  onMessageUpdated({ message }: MessageUpdatedEvent): void {
    this.server.to(rooms.conversation(message.conversationId)).emit('message:updated', { message });
  }

  @OnEvent(MessageEvent.Deleted)
  onMessageDeleted(event: MessageDeletedDomainEvent): void {
    this.server.to(rooms.conversation(event.conversationId)).emit('message:deleted', event);
  }

  @OnEvent(ConversationEvent.Created)
  onConversationCreated({ conversationId, userIds }: ConversationCreatedEvent): void {
    const userRooms = userIds.map(rooms.user);
    this.server.in(userRooms).socketsJoin(rooms.conversation(conversationId));
    this.server.to(userRooms).emit('conversation:changed', { conversationId, kind: 'created' });
  }

  @OnEvent(ConversationEvent.Updated)
  onConversationUpdated({ conversationId }: ConversationUpdatedEvent): void {
    this.server.to(rooms.conversation(conversationId)).emit('conversation:changed', { conversationId, kind: 'updated' });
  }

  @OnEvent(ConversationEvent.Deleted)
  onConversationDeleted({ conversationId, userIds, by, title }: ConversationDeletedEvent): void {
    const room = rooms.conversation(conversationId);
    this.server.to([room, ...userIds.map(rooms.user)]).emit('conversation:removed', { conversationId, reason: 'deleted', by, title });
    this.server.in(room).socketsLeave(room);
  }

  @OnEvent(ConversationEvent.MembersAdded)
  onMembersAdded({ conversationId, addedUserIds }: MembersAddedEvent): void {
    const room = rooms.conversation(conversationId);
    const addedRooms = addedUserIds.map(rooms.user);
    this.server.to(room).emit('conversation:changed', { conversationId, kind: 'members' });
    this.server.in(addedRooms).socketsJoin(room);
    this.server.to(addedRooms).emit('conversation:changed', { conversationId, kind: 'created' });
  }

  @OnEvent(ConversationEvent.MemberLeft)
  onMemberLeft({ conversationId, userId, removed, by, title }: MemberLeftEvent): void {
    const room = rooms.conversation(conversationId);
    // Out of the room first, so nothing said afterwards reaches them.
    this.server.in(rooms.user(userId)).socketsLeave(room);
    this.server.to(rooms.user(userId)).emit('conversation:removed', { conversationId, reason: removed ? 'removed' : 'left', by, title });
    this.server.to(room).emit('conversation:changed', { conversationId, kind: 'members' });
  }

  @OnEvent(AuthEvent.SessionRevoked)
  onSessionRevoked({ sessionId }: SessionRevokedEvent): void {
    const room = rooms.session(sessionId);
    // Told why first, so the client signs out instead of reconnecting.
    this.server.to(room).emit('auth:error', { code: 'AUTH_FAILED', error: 'This session has ended; sign in again' });
    this.server.in(room).disconnectSockets(true);
  }

  @OnEvent(UserEvent.ProfileChanged)
  async onProfileChanged({ user }: UserProfileChangedEvent): Promise<void> {
    const conversationIds = await this.conversations.activeConversationIdsOf(user.id);
    this.server.to([rooms.user(user.id), ...conversationIds.map(rooms.conversation)]).emit('user:updated', { user });
  }

  @OnEvent(ReceiptEvent.Updated)
  onReceiptUpdated(event: ReceiptUpdatedDomainEvent): void {
    this.server.to(rooms.conversation(event.conversationId)).emit('receipt:updated', event);
  }

  @OnEvent(ReceiptEvent.Count)
  onReceiptCount(event: ReceiptCountDomainEvent): void {
    this.server.to(rooms.conversation(event.conversationId)).emit('receipt:count', event);
  }

  @OnEvent(ReceiptEvent.ConversationRead)
  onConversationRead({ userId, originSocketId, ...state }: ConversationReadDomainEvent): void {
    // The device that read has the same state in its ack; only the reader's other devices need it.
    const target = this.server.to(rooms.user(userId));
    (originSocketId ? target.except(originSocketId) : target).emit('conversation:read', state);
  }

  /** One emit per transition: the presence room holds exactly the sockets that watch the user and may see them. */
  @OnEvent(PresenceEvent.Changed)
  onPresenceChanged({ update }: PresenceChangedEvent): void {
    this.server.to(rooms.presence(update.userId)).emit('presence:update', update);
  }

  @OnEvent(PresenceEvent.Shared)
  onPresenceShared(event: PresenceSharedEvent): void {
    sharePresence(this.server, event);
  }

  @OnEvent(PresenceEvent.Withdrawn)
  onPresenceWithdrawn(event: PresenceWithdrawnEvent): void {
    withdrawPresence(this.server, event);
  }
}
