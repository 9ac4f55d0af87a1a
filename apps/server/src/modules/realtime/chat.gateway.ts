import { Logger, type OnModuleDestroy } from '@nestjs/common';
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
  type Ack,
  authEventSchema,
  CHAT_NAMESPACE,
  heartbeatEventSchema,
  type MarkReadResult,
  presenceWatchEventSchema,
  type PresenceWatchResult,
  receiptReadEventSchema,
  sendMessageEventSchema,
  type SocketError,
  subscribeEventSchema,
  syncEventSchema,
  typingEventSchema,
} from '@chat/shared';
import type { z } from 'zod';
import { AppConfig } from '../../config/app-config';
import { AuthService } from '../auth/auth.service';
import type { AccessClaims } from '../auth/token.service';
import { ConversationsService } from '../conversations/conversations.service';
import { MessagesService } from '../messages/messages.service';
import { MetricsService } from '../metrics/metrics.service';
import { PresenceService } from '../presence/presence.service';
import { ReceiptsService } from '../receipts/receipts.service';
import { type ChatNamespace, type ChatSocket, rooms } from './chat-socket.types';
import { isInfrastructureUnavailable } from '../../common/errors/error-classes';
import { SocketFailure, toSocketError } from './socket-errors';
import { unwatchPresence, watchPresence } from './presence-watch';
import { TypingTracker } from './typing-tracker';

type AckFn<T extends object> = ((result: Ack<T>) => void) | undefined;

const TYPING_THROTTLE_MS = 2_000;
/** A socket whose unsent output passes this is a slow consumer: cut it loose; it catches up on reconnect. */
const SLOW_CONSUMER_BYTES = 4 * 1024 * 1024;
const SLOW_CONSUMER_PACKETS = 5_000;

function handshakeToken(socket: ChatSocket): string | null {
  const fromAuth = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
  if (typeof fromAuth === 'string' && fromAuth.length > 0) return fromAuth;
  const fromQuery = socket.handshake.query.token;
  return typeof fromQuery === 'string' && fromQuery.length > 0 ? fromQuery : null;
}

/**
 * The /chat namespace: authenticates sockets, validates every client event with the shared schemas,
 * and hands each to one service call. Fan-out of domain events lives in RealtimeFanout.
 */
@WebSocketGateway({ namespace: CHAT_NAMESPACE })
export class ChatGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect, OnModuleDestroy {
  @WebSocketServer() server!: ChatNamespace;

  private readonly logger = new Logger(ChatGateway.name);
  private readonly typing: TypingTracker;
  private heartbeatSweep?: NodeJS.Timeout;
  private draining = false;
  private slowConsumerSweep?: NodeJS.Timeout;
  private readonly socketsPerUser = new Map<string, number>();
  /** Socket handlers still running: a graceful shutdown lets them finish and ack first. */
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly auth: AuthService,
    private readonly conversations: ConversationsService,
    private readonly messages: MessagesService,
    private readonly receipts: ReceiptsService,
    private readonly presence: PresenceService,
    private readonly metrics: MetricsService,
    private readonly config: AppConfig,
  ) {
    this.typing = new TypingTracker(config.typingTimeoutMs, TYPING_THROTTLE_MS, (kind, socketId, conversationId) => {
      const socket = this.server?.sockets.get(socketId);
      const userId = socket?.data.userId;
      if (!socket || !userId) return;
      socket.to(rooms.conversation(conversationId)).emit(kind === 'started' ? 'typing:started' : 'typing:stopped', { conversationId, userId });
    });
  }

  afterInit(namespace: ChatNamespace): void {
    // Authenticate before 'connection', so every handler sees a settled socket.data.
    namespace.use((socket, next) => {
      const token = handshakeToken(socket as ChatSocket);
      const data = socket.data as ChatSocket['data'];
      data.lastSeenAt = Date.now();
      if (!token) {
        data.authError = { code: 'AUTH_FAILED', error: 'Missing access token' };
        return next();
      }
      this.auth
        .authenticate(token)
        .then((claims) => this.applyClaims(socket as ChatSocket, claims))
        .catch((error: unknown) => {
          // Only a bad token is AUTH_FAILED; a database that cannot answer must not make a client drop a good one.
          data.authError = isInfrastructureUnavailable(error)
            ? { code: 'SERVICE_UNAVAILABLE', error: 'Cannot check the token right now; reconnect shortly' }
            : { code: 'AUTH_FAILED', error: 'Invalid or expired access token' };
        })
        .finally(() => next());
    });
    const interval = Math.max(250, Math.min(5_000, this.config.heartbeatTimeoutMs / 3));
    this.heartbeatSweep = setInterval(() => this.dropSilentSockets(), interval);
    this.heartbeatSweep.unref();
    this.slowConsumerSweep = setInterval(() => this.dropSlowConsumers(), 500);
    this.slowConsumerSweep.unref();
  }

  async handleConnection(socket: ChatSocket): Promise<void> {
    socket.onAny(() => {
      socket.data.lastSeenAt = Date.now();
    });
    if (this.draining) {
      // Shutting down: close the transport so the client reconnects, to another node.
      socket.conn.close();
      return;
    }
    if (socket.data.authError || !socket.data.userId) {
      this.metrics.socketErrors.inc({ event: 'connect', code: socket.data.authError?.code ?? 'AUTH_FAILED' });
      socket.emit('auth:error', socket.data.authError ?? { code: 'AUTH_FAILED', error: 'Authentication failed' });
      socket.disconnect(true);
      return;
    }
    const { userId, sessionId } = socket.data;
    const open = this.socketsPerUser.get(userId) ?? 0;
    if (open >= this.config.maxSocketsPerUser) {
      this.metrics.socketErrors.inc({ event: 'connect', code: 'CONNECTION_LIMIT' });
      socket.emit('error', { code: 'CONNECTION_LIMIT', error: `At most ${this.config.maxSocketsPerUser} connections per user`, event: 'connect' });
      socket.disconnect(true);
      return;
    }
    this.socketsPerUser.set(userId, open + 1);
    socket.data.counted = true;
    try {
      const conversationIds = await this.conversations.activeConversationIdsOf(userId);
      if (!socket.connected) return;
      await socket.join([rooms.user(userId), rooms.session(sessionId), ...conversationIds.map(rooms.conversation)]);
      // Present before the client hears it is connected: otherwise its other device closing on
      // another node in that gap reads as "last device gone" and announces offline.
      await this.presence.deviceConnected(userId, socket.id);
      if (!socket.connected) {
        // It went away while being registered, before it counted as connected: undo the entry.
        await this.presence.deviceDisconnected(userId, socket.id);
        return;
      }
      socket.emit('auth:success', { userId });
      this.metrics.socketsConnected.inc();
      socket.data.connectedAt = Date.now();
      this.logger.log({ msg: 'socket connected', socketId: socket.id, userId, rooms: socket.rooms.size });
    } catch (error) {
      this.logger.error(error);
      socket.emit('error', { code: 'INTERNAL', error: 'Could not set up the connection' });
      socket.disconnect(true);
    }
  }

  async handleDisconnect(socket: ChatSocket): Promise<void> {
    clearTimeout(socket.data.expiryTimer);
    this.typing.stopAll(socket.id);
    if (socket.data.counted) {
      const left = (this.socketsPerUser.get(socket.data.userId) ?? 1) - 1;
      if (left > 0) this.socketsPerUser.set(socket.data.userId, left);
      else this.socketsPerUser.delete(socket.data.userId);
    }
    if (!socket.data.connectedAt) return;
    this.metrics.socketsConnected.dec();
    this.logger.log({ msg: 'socket disconnected', socketId: socket.id, userId: socket.data.userId, durationMs: Date.now() - socket.data.connectedAt });
    // Tracked, so a graceful shutdown records the user going offline before the pools close.
    await this.track(this.presence.deviceDisconnected(socket.data.userId, socket.id).catch((error: unknown) => this.logger.error(error)));
  }

  onModuleDestroy(): void {
    clearInterval(this.heartbeatSweep);
    clearInterval(this.slowConsumerSweep);
  }

  /**
   * Graceful shutdown: refuse new sockets, let running handlers finish (their acks go out after
   * commit), close every local transport so clients reconnect to another node, and let the
   * disconnect handlers record those devices going offline while the pools are still open.
   */
  async drain(timeoutMs = 3_000): Promise<void> {
    this.draining = true;
    let expired = false;
    const deadline = new Promise((resolve) => setTimeout(resolve, timeoutMs).unref()).then(() => (expired = true));
    await Promise.race([Promise.allSettled([...this.inFlight]), deadline]);
    for (const socket of this.server?.sockets.values() ?? []) socket.conn.close();
    const disconnected = (async () => {
      // Closing a transport fires its disconnect handler on a later tick.
      while (!expired && (this.server?.sockets.size ?? 0) > 0) await new Promise((resolve) => setTimeout(resolve, 10));
      await Promise.allSettled([...this.inFlight]);
    })();
    await Promise.race([disconnected, deadline]);
  }

  get isDraining(): boolean {
    return this.draining;
  }

  @SubscribeMessage('auth')
  async onAuth(@ConnectedSocket() socket: ChatSocket, @MessageBody() payload: unknown, @AckCallback() ack?: AckFn<{ userId: string }>) {
    return this.handle(socket, 'auth', ack, async () => {
      const { token } = this.parse(authEventSchema, payload);
      let claims: AccessClaims;
      try {
        claims = await this.auth.authenticate(token);
      } catch {
        throw new SocketFailure({ code: 'AUTH_FAILED', error: 'Invalid or expired access token' });
      }
      if (claims.userId !== socket.data.userId) {
        socket.emit('auth:error', { code: 'AUTH_FAILED', error: 'Token belongs to another user' });
        socket.disconnect(true);
        throw new SocketFailure({ code: 'AUTH_FAILED', error: 'Token belongs to another user' });
      }
      if (claims.sessionId !== socket.data.sessionId) {
        await socket.leave(rooms.session(socket.data.sessionId));
        await socket.join(rooms.session(claims.sessionId));
      }
      this.applyClaims(socket, claims);
      socket.emit('auth:success', { userId: claims.userId });
      return { userId: claims.userId };
    });
  }

  @SubscribeMessage('subscribe')
  async onSubscribe(@ConnectedSocket() socket: ChatSocket, @MessageBody() payload: unknown, @AckCallback() ack?: AckFn<{ lastSeq: number }>) {
    return this.handle(socket, 'subscribe', ack, async () => {
      const { conversationId } = this.parse(subscribeEventSchema, payload);
      const conversation = await this.conversations.requireParticipant(socket.data.userId, conversationId);
      await socket.join(rooms.conversation(conversationId));
      return { lastSeq: conversation.lastSeq };
    });
  }

  @SubscribeMessage('unsubscribe')
  async onUnsubscribe(@ConnectedSocket() socket: ChatSocket, @MessageBody() payload: unknown, @AckCallback() ack?: AckFn<object>) {
    return this.handle(socket, 'unsubscribe', ack, async () => {
      const { conversationId } = this.parse(subscribeEventSchema, payload);
      this.typing.stop(socket.id, conversationId);
      await socket.leave(rooms.conversation(conversationId));
      return {};
    });
  }

  @SubscribeMessage('message:send')
  async onSend(@ConnectedSocket() socket: ChatSocket, @MessageBody() payload: unknown, @AckCallback() ack?: AckFn<Record<string, unknown>>) {
    return this.track(this.send(socket, payload, ack));
  }

  private async send(socket: ChatSocket, payload: unknown, ack?: AckFn<Record<string, unknown>>) {
    const stopTimer = this.metrics.sendAckLatency.startTimer();
    const clientMessageId = typeof (payload as { clientMessageId?: unknown })?.clientMessageId === 'string' ? (payload as { clientMessageId: string }).clientMessageId : undefined;
    try {
      const input = this.parse(sendMessageEventSchema, payload);
      this.typing.stop(socket.id, input.conversationId);
      const { message, created } = await this.messages.send(socket.data.userId, input, { socketId: socket.id });
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
      ack?.({ ok: true, ...sent, message });
      stopTimer();
    } catch (error) {
      const failure = { ...toSocketError(error, 'message:send'), ...(clientMessageId ? { clientMessageId } : {}) };
      if (failure.code === 'INTERNAL') this.logger.error(error);
      this.metrics.socketErrors.inc({ event: 'message:send', code: failure.code });
      socket.emit('message:error', failure);
      ack?.({ ok: false, ...failure });
    }
  }

  @SubscribeMessage('typing:start')
  onTypingStart(@ConnectedSocket() socket: ChatSocket, @MessageBody() payload: unknown) {
    this.typingEvent(socket, 'typing:start', payload, (conversationId) => this.typing.start(socket.id, conversationId));
  }

  @SubscribeMessage('typing:stop')
  onTypingStop(@ConnectedSocket() socket: ChatSocket, @MessageBody() payload: unknown) {
    this.typingEvent(socket, 'typing:stop', payload, (conversationId) => this.typing.stop(socket.id, conversationId));
  }

  @SubscribeMessage('presence:heartbeat')
  async onHeartbeat(@ConnectedSocket() socket: ChatSocket, @MessageBody() payload: unknown, @AckCallback() ack?: AckFn<object>) {
    return this.handle(socket, 'presence:heartbeat', ack, async () => {
      const { status } = this.parse(heartbeatEventSchema, payload);
      await this.presence.heartbeat(socket.data.userId, socket.id, status);
      return {};
    });
  }

  @SubscribeMessage('presence:subscribe')
  async onPresenceSubscribe(@ConnectedSocket() socket: ChatSocket, @MessageBody() payload: unknown, @AckCallback() ack?: AckFn<PresenceWatchResult>) {
    return this.handle(socket, 'presence:subscribe', ack, async () => {
      const { userIds } = this.parse(presenceWatchEventSchema, payload);
      return watchPresence(this.presence, socket, userIds);
    });
  }

  @SubscribeMessage('presence:unsubscribe')
  async onPresenceUnsubscribe(@ConnectedSocket() socket: ChatSocket, @MessageBody() payload: unknown, @AckCallback() ack?: AckFn<object>) {
    return this.handle(socket, 'presence:unsubscribe', ack, async () => {
      const { userIds } = this.parse(presenceWatchEventSchema, payload);
      await unwatchPresence(socket, userIds);
      return {};
    });
  }

  @SubscribeMessage('sync')
  async onSync(@ConnectedSocket() socket: ChatSocket, @MessageBody() payload: unknown, @AckCallback() ack?: AckFn<Record<string, unknown>>) {
    return this.handle(socket, 'sync', ack, async () => {
      const { conversations } = this.parse(syncEventSchema, payload);
      return this.messages.sync(socket.data.userId, conversations);
    });
  }

  @SubscribeMessage('receipt:read')
  async onReceiptRead(@ConnectedSocket() socket: ChatSocket, @MessageBody() payload: unknown, @AckCallback() ack?: AckFn<MarkReadResult>) {
    return this.handle(socket, 'receipt:read', ack, async () => {
      const { conversationId, messageId } = this.parse(receiptReadEventSchema, payload);
      return this.receipts.markRead(socket.data.userId, conversationId, messageId, socket.id);
    });
  }

  /** Typing is only for rooms the socket is in: membership was checked when it joined. */
  private typingEvent(socket: ChatSocket, event: string, payload: unknown, apply: (conversationId: string) => void): void {
    const parsed = typingEventSchema.safeParse(payload);
    if (!parsed.success) {
      this.metrics.socketErrors.inc({ event, code: 'VALIDATION_ERROR' });
      socket.emit('error', toSocketError(parsed.error, event));
      return;
    }
    if (!socket.rooms.has(rooms.conversation(parsed.data.conversationId))) {
      socket.emit('error', { code: 'NOT_IN_CONVERSATION', error: 'Not a participant of this conversation', event });
      return;
    }
    apply(parsed.data.conversationId);
  }

  private applyClaims(socket: ChatSocket, claims: AccessClaims): void {
    socket.data.userId = claims.userId;
    socket.data.sessionId = claims.sessionId;
    socket.data.expiresAt = claims.exp * 1000;
    socket.data.authError = undefined;
    clearTimeout(socket.data.expiryTimer);
    // An expired access token ends the socket unless the client re-authenticates first.
    socket.data.expiryTimer = setTimeout(() => {
      socket.emit('auth:error', { code: 'TOKEN_EXPIRED', error: 'Access token expired; reconnect with a new one' });
      socket.disconnect(true);
    }, Math.max(0, socket.data.expiresAt - Date.now()));
    socket.data.expiryTimer.unref();
  }

  /** Output piling up for a client that stopped reading must not grow this node's memory. */
  private dropSlowConsumers(): void {
    for (const socket of this.server?.sockets.values() ?? []) {
      const conn = socket.conn as unknown as { writeBuffer?: unknown[]; transport?: { socket?: { bufferedAmount?: number } } };
      const packets = conn.writeBuffer?.length ?? 0;
      const bytes = conn.transport?.socket?.bufferedAmount ?? 0;
      if (packets > SLOW_CONSUMER_PACKETS || bytes > SLOW_CONSUMER_BYTES) {
        this.logger.warn({ msg: 'dropping slow consumer', socketId: socket.id, userId: socket.data.userId, packets, bytes });
        this.metrics.socketErrors.inc({ event: 'output', code: 'SLOW_CONSUMER' });
        socket.conn.close();
      }
    }
  }

  private dropSilentSockets(): void {
    if (!this.server) return;
    const cutoff = Date.now() - this.config.heartbeatTimeoutMs;
    for (const socket of this.server.sockets.values()) {
      if (socket.data.lastSeenAt < cutoff) socket.disconnect(true);
    }
  }

  private parse<S extends z.ZodType>(schema: S, payload: unknown): z.infer<S> {
    return schema.parse(payload);
  }

  /** Runs a handler and answers through the ack, or with an `error` event when there is no ack. */
  private handle<T extends object>(socket: ChatSocket, event: string, ack: AckFn<T>, run: () => Promise<T>): Promise<void> {
    return this.track(this.answer(socket, event, ack, run));
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
    return work;
  }

  private async answer<T extends object>(socket: ChatSocket, event: string, ack: AckFn<T>, run: () => Promise<T>): Promise<void> {
    try {
      const result = await run();
      if (typeof ack === 'function') ack({ ok: true, ...result } as Ack<T>);
    } catch (error) {
      const failure: SocketError = toSocketError(error, event);
      if (failure.code === 'INTERNAL') this.logger.error(error);
      this.metrics.socketErrors.inc({ event, code: failure.code });
      if (typeof ack === 'function') ack({ ok: false, ...failure });
      else socket.emit('error', failure);
    }
  }
}
