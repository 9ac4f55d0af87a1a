import { Injectable } from '@nestjs/common';
import { OnDomainEvent } from '../../common/events/domain-event-bus';
import type { DomainEvents } from '../../common/events/domain-events';
import { MetricsService } from '../metrics/metrics.service';
import { ConversationsService } from '../conversations/conversations.service';
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

  @OnDomainEvent('message.created')
  onMessageCreated({ message, originSocketId, rootThread }: DomainEvents['message.created']): void {
    const target = this.server.to(rooms.conversation(message.conversationId));
    (originSocketId ? target.except(originSocketId) : target).emit('message:received', rootThread ? { message, rootThread } : { message });
    this.metrics.messagesDelivered.inc();
  }

  @OnDomainEvent('message.updated')
  onMessageUpdated({ message }: DomainEvents['message.updated']): void {
    this.server.to(rooms.conversation(message.conversationId)).emit('message:updated', { message });
  }

  @OnDomainEvent('message.deleted')
  onMessageDeleted(event: DomainEvents['message.deleted']): void {
    this.server.to(rooms.conversation(event.conversationId)).emit('message:deleted', event);
  }

  @OnDomainEvent('message.reactions-changed')
  onReactionsChanged(event: DomainEvents['message.reactions-changed']): void {
    this.server.to(rooms.conversation(event.conversationId)).emit('message:reactions', event);
  }

  @OnDomainEvent('thread.updated')
  onThreadUpdated(event: DomainEvents['thread.updated']): void {
    this.server.to(rooms.conversation(event.conversationId)).emit('thread:updated', event);
  }

  @OnDomainEvent('thread.read')
  onThreadRead({ userId, originSocketId, ...state }: DomainEvents['thread.read']): void {
    const target = this.server.to(rooms.user(userId));
    (originSocketId ? target.except(originSocketId) : target).emit('thread:read', state);
  }

  @OnDomainEvent('conversation.created')
  onConversationCreated({ conversationId, userIds }: DomainEvents['conversation.created']): void {
    const userRooms = userIds.map(rooms.user);
    this.server.in(userRooms).socketsJoin(rooms.conversation(conversationId));
    this.server.to(userRooms).emit('conversation:changed', { conversationId, kind: 'created' });
  }

  @OnDomainEvent('conversation.updated')
  onConversationUpdated({ conversationId }: DomainEvents['conversation.updated']): void {
    this.server.to(rooms.conversation(conversationId)).emit('conversation:changed', { conversationId, kind: 'updated' });
  }

  @OnDomainEvent('conversation.deleted')
  onConversationDeleted({ conversationId, userIds, by, title }: DomainEvents['conversation.deleted']): void {
    const room = rooms.conversation(conversationId);
    this.server.to([room, ...userIds.map(rooms.user)]).emit('conversation:removed', { conversationId, reason: 'deleted', by, title });
    this.server.in(room).socketsLeave(room);
  }

  @OnDomainEvent('conversation.members-added')
  onMembersAdded({ conversationId, addedUserIds }: DomainEvents['conversation.members-added']): void {
    const room = rooms.conversation(conversationId);
    const addedRooms = addedUserIds.map(rooms.user);
    this.server.to(room).emit('conversation:changed', { conversationId, kind: 'members' });
    this.server.in(addedRooms).socketsJoin(room);
    this.server.to(addedRooms).emit('conversation:changed', { conversationId, kind: 'created' });
  }

  @OnDomainEvent('conversation.member-left')
  onMemberLeft({ conversationId, userId, removed, by, title }: DomainEvents['conversation.member-left']): void {
    const room = rooms.conversation(conversationId);
    // Out of the room first, so nothing said afterwards reaches them.
    this.server.in(rooms.user(userId)).socketsLeave(room);
    this.server.to(rooms.user(userId)).emit('conversation:removed', { conversationId, reason: removed ? 'removed' : 'left', by, title });
    this.server.to(room).emit('conversation:changed', { conversationId, kind: 'members' });
  }

  @OnDomainEvent('conversation.notifications-changed')
  onNotificationsChanged({ userId, ...event }: DomainEvents['conversation.notifications-changed']): void {
    // Every device of the user, on every node (the user room spans the adapter); nobody else's business.
    this.server.to(rooms.user(userId)).emit('conversation:notifications', event);
  }

  @OnDomainEvent('auth.session-revoked')
  onSessionRevoked({ sessionId }: DomainEvents['auth.session-revoked']): void {
    const room = rooms.session(sessionId);
    // Told why first, so the client signs out instead of reconnecting.
    this.server.to(room).emit('auth:error', { code: 'AUTH_FAILED', error: 'This session has ended; sign in again' });
    this.server.in(room).disconnectSockets(true);
  }

  @OnDomainEvent('user.profile-changed')
  async onProfileChanged({ user }: DomainEvents['user.profile-changed']): Promise<void> {
    const conversationIds = await this.conversations.activeConversationIdsOf(user.id);
    this.server.to([rooms.user(user.id), ...conversationIds.map(rooms.conversation)]).emit('user:updated', { user });
  }

  @OnDomainEvent('receipt.updated')
  onReceiptUpdated(event: DomainEvents['receipt.updated']): void {
    this.server.to(rooms.conversation(event.conversationId)).emit('receipt:updated', event);
  }

  @OnDomainEvent('receipt.count')
  onReceiptCount(event: DomainEvents['receipt.count']): void {
    this.server.to(rooms.conversation(event.conversationId)).emit('receipt:count', event);
  }

  @OnDomainEvent('receipt.conversation-read')
  onConversationRead({ userId, originSocketId, ...state }: DomainEvents['receipt.conversation-read']): void {
    // The device that read has the same state in its ack; only the reader's other devices need it.
    const target = this.server.to(rooms.user(userId));
    (originSocketId ? target.except(originSocketId) : target).emit('conversation:read', state);
  }

  /** One emit per transition: the presence room holds exactly the sockets that watch the user and may see them. */
  @OnDomainEvent('presence.changed')
  onPresenceChanged({ update }: DomainEvents['presence.changed']): void {
    this.server.to(rooms.presence(update.userId)).emit('presence:update', update);
  }

  @OnDomainEvent('presence.shared')
  onPresenceShared(event: DomainEvents['presence.shared']): void {
    sharePresence(this.server, event);
  }

  @OnDomainEvent('presence.withdrawn')
  onPresenceWithdrawn(event: DomainEvents['presence.withdrawn']): void {
    withdrawPresence(this.server, event);
  }
}
