import {
  Ack as AckCallback,
  ConnectedSocket,
  MessageBody,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import {
  authEventSchema,
  CHAT_NAMESPACE,
  heartbeatEventSchema,
  type MarkReadResult,
  type MessageSendAck,
  presenceWatchEventSchema,
  reactionEventSchema,
  type ReactionState,
  type PresenceWatchResult,
  receiptReadEventSchema,
  sendMessageEventSchema,
  subscribeEventSchema,
  syncEventSchema,
  type SyncResult,
  typingEventSchema,
} from '@chat/shared';
import { AppConfig } from '../../config/app-config';
import { ConversationsService } from '../conversations/conversations.service';
import { MessagesService } from '../messages/messages.service';
import { PresenceService } from '../presence/presence.service';
import { ReactionsService } from '../reactions/reactions.service';
import { ReceiptsService } from '../receipts/receipts.service';
import { type ChatNamespace, type ChatSocket, rooms } from './chat-socket.types';
import { ConnectionLifecycle } from './connection-lifecycle';
import { HandshakeAuth } from './handshake-auth';
import { unwatchPresence, watchPresence } from './presence-watch';
import { SocketFailure } from './socket-errors';
import { type AckFn, SocketResponder } from './socket-responder';
import { SocketSweeper } from './socket-sweeper';
import { type TypingPlace, TypingTracker } from './typing-tracker';

const TYPING_THROTTLE_MS = 2_000;

/**
 * Typing is only for rooms the socket is in: membership was checked when it joined. A thread root
 * is not looked up (typing stays free of queries): it only tells the room which thread's indicator
 * it is for, and the room is the conversation's members, who may see that thread anyway.
 */
function joinedConversation(socket: ChatSocket, place: TypingPlace): TypingPlace {
  if (!socket.rooms.has(rooms.conversation(place.conversationId))) {
    throw new SocketFailure({ code: 'NOT_IN_CONVERSATION', error: 'Not a participant of this conversation' });
  }
  return place;
}

/**
 * The /chat namespace: each client event is validated with its shared schema and handed to one
 * service call (SocketResponder answers it). Authentication is HandshakeAuth's, a socket's life
 * ConnectionLifecycle's, and fan-out of domain events RealtimeFanout's.
 */
@WebSocketGateway({ namespace: CHAT_NAMESPACE })
export class ChatGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect {
  @WebSocketServer() server!: ChatNamespace;

  private readonly typing: TypingTracker;

  constructor(
    private readonly handshake: HandshakeAuth,
    private readonly lifecycle: ConnectionLifecycle,
    private readonly sweeper: SocketSweeper,
    private readonly responder: SocketResponder,
    private readonly conversations: ConversationsService,
    private readonly messages: MessagesService,
    private readonly receipts: ReceiptsService,
    private readonly reactions: ReactionsService,
    private readonly presence: PresenceService,
    config: AppConfig,
  ) {
    this.typing = new TypingTracker(config.typingTimeoutMs, TYPING_THROTTLE_MS, (kind, socketId, { conversationId, threadRootId }) => {
      const socket = this.server?.sockets.get(socketId);
      const userId = socket?.data.userId;
      if (!socket || !userId) return;
      const payload = threadRootId ? { conversationId, userId, threadRootId } : { conversationId, userId };
      socket.to(rooms.conversation(conversationId)).emit(kind === 'started' ? 'typing:started' : 'typing:stopped', payload);
    });
  }

  afterInit(namespace: ChatNamespace): void {
    namespace.use(this.handshake.middleware);
    this.lifecycle.attach(namespace);
    this.sweeper.start(namespace);
  }

  handleConnection(socket: ChatSocket): Promise<void> {
    this.sweeper.watch(socket);
    return this.lifecycle.connect(socket);
  }

  handleDisconnect(socket: ChatSocket): Promise<void> {
    this.handshake.forget(socket);
    this.typing.stopAll(socket.id);
    return this.lifecycle.disconnect(socket);
  }

  @SubscribeMessage('auth')
  onAuth(@ConnectedSocket() socket: ChatSocket, @MessageBody() payload: unknown, @AckCallback() ack?: AckFn<{ userId: string }>) {
    return this.responder.reply(socket, 'auth', { schema: authEventSchema, payload, ack }, ({ token }) => this.handshake.renew(socket, token));
  }

  @SubscribeMessage('subscribe')
  onSubscribe(@ConnectedSocket() socket: ChatSocket, @MessageBody() payload: unknown, @AckCallback() ack?: AckFn<{ lastSeq: number }>) {
    return this.responder.reply(socket, 'subscribe', { schema: subscribeEventSchema, payload, ack }, async ({ conversationId }) => {
      const conversation = await this.conversations.requireParticipant(socket.data.userId, conversationId);
      await socket.join(rooms.conversation(conversationId));
      return { lastSeq: conversation.lastSeq };
    });
  }

  @SubscribeMessage('unsubscribe')
  onUnsubscribe(@ConnectedSocket() socket: ChatSocket, @MessageBody() payload: unknown, @AckCallback() ack?: AckFn<object>) {
    return this.responder.reply(socket, 'unsubscribe', { schema: subscribeEventSchema, payload, ack }, async ({ conversationId }) => {
      this.typing.stopConversation(socket.id, conversationId);
      await socket.leave(rooms.conversation(conversationId));
      return {};
    });
  }

  @SubscribeMessage('message:send')
  onSend(@ConnectedSocket() socket: ChatSocket, @MessageBody() payload: unknown, @AckCallback() ack?: AckFn<MessageSendAck>) {
    return this.responder.replyToSend(socket, { schema: sendMessageEventSchema, payload, ack }, async (input) => {
      this.typing.stop(socket.id, { conversationId: input.conversationId, threadRootId: input.threadRootId });
      const { message, created, rootThread } = await this.messages.send(socket.data.userId, input, { socketId: socket.id });
      const sent = {
        clientMessageId: input.clientMessageId,
        messageId: message.id,
        conversationId: message.conversationId,
        seq: message.seq,
        status: 'delivered' as const,
        timestamp: message.createdAt,
        duplicate: !created,
      };
      // The full message goes to the sender once, in the ack; the event (the spec's shape) only confirms it.
      socket.emit('message:sent', sent);
      return rootThread ? { ...sent, message, rootThread } : { ...sent, message };
    });
  }

  @SubscribeMessage('typing:start')
  onTypingStart(@ConnectedSocket() socket: ChatSocket, @MessageBody() payload: unknown) {
    return this.responder.reply(socket, 'typing:start', { schema: typingEventSchema, payload }, (place) => {
      this.typing.start(socket.id, joinedConversation(socket, place));
      return {};
    });
  }

  @SubscribeMessage('typing:stop')
  onTypingStop(@ConnectedSocket() socket: ChatSocket, @MessageBody() payload: unknown) {
    return this.responder.reply(socket, 'typing:stop', { schema: typingEventSchema, payload }, (place) => {
      this.typing.stop(socket.id, joinedConversation(socket, place));
      return {};
    });
  }

  @SubscribeMessage('presence:heartbeat')
  onHeartbeat(@ConnectedSocket() socket: ChatSocket, @MessageBody() payload: unknown, @AckCallback() ack?: AckFn<object>) {
    return this.responder.reply(socket, 'presence:heartbeat', { schema: heartbeatEventSchema, payload, ack }, async ({ status }) => {
      await this.presence.heartbeat(socket.data.userId, socket.id, status);
      return {};
    });
  }

  @SubscribeMessage('presence:subscribe')
  onPresenceSubscribe(@ConnectedSocket() socket: ChatSocket, @MessageBody() payload: unknown, @AckCallback() ack?: AckFn<PresenceWatchResult>) {
    return this.responder.reply(socket, 'presence:subscribe', { schema: presenceWatchEventSchema, payload, ack }, ({ userIds }) =>
      watchPresence(this.presence, socket, userIds),
    );
  }

  @SubscribeMessage('presence:unsubscribe')
  onPresenceUnsubscribe(@ConnectedSocket() socket: ChatSocket, @MessageBody() payload: unknown, @AckCallback() ack?: AckFn<object>) {
    return this.responder.reply(socket, 'presence:unsubscribe', { schema: presenceWatchEventSchema, payload, ack }, async ({ userIds }) => {
      await unwatchPresence(socket, userIds);
      return {};
    });
  }

  @SubscribeMessage('sync')
  onSync(@ConnectedSocket() socket: ChatSocket, @MessageBody() payload: unknown, @AckCallback() ack?: AckFn<SyncResult>) {
    return this.responder.reply(socket, 'sync', { schema: syncEventSchema, payload, ack }, ({ conversations }) =>
      this.messages.sync(socket.data.userId, conversations),
    );
  }

  @SubscribeMessage('receipt:read')
  onReceiptRead(@ConnectedSocket() socket: ChatSocket, @MessageBody() payload: unknown, @AckCallback() ack?: AckFn<MarkReadResult>) {
    return this.responder.reply(socket, 'receipt:read', { schema: receiptReadEventSchema, payload, ack }, ({ conversationId, messageId }) =>
      this.receipts.markRead(socket.data.userId, conversationId, messageId, socket.id),
    );
  }

  @SubscribeMessage('reaction:add')
  onReactionAdd(@ConnectedSocket() socket: ChatSocket, @MessageBody() payload: unknown, @AckCallback() ack?: AckFn<ReactionState>) {
    return this.responder.reply(socket, 'reaction:add', { schema: reactionEventSchema, payload, ack }, (target) =>
      this.reactions.set(socket.data.userId, target, true),
    );
  }

  @SubscribeMessage('reaction:remove')
  onReactionRemove(@ConnectedSocket() socket: ChatSocket, @MessageBody() payload: unknown, @AckCallback() ack?: AckFn<ReactionState>) {
    return this.responder.reply(socket, 'reaction:remove', { schema: reactionEventSchema, payload, ack }, (target) =>
      this.reactions.set(socket.data.userId, target, false),
    );
  }
}
