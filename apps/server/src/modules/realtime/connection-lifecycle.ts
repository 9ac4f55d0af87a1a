import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { ConversationsService } from '../conversations/conversations.service';
import { MetricsService } from '../metrics/metrics.service';
import { PresenceService } from '../presence/presence.service';
import { type ChatNamespace, type ChatSocket, rooms } from './chat-socket.types';

/**
 * A socket from connect to disconnect on this node: the per-user cap, its rooms and presence, and
 * the graceful shutdown that lets running handlers finish before every socket is moved elsewhere.
 */
@Injectable()
export class ConnectionLifecycle {
  private readonly logger = new Logger(ConnectionLifecycle.name);
  private namespace?: ChatNamespace;
  private draining = false;
  private readonly socketsPerUser = new Map<string, number>();
  /** Socket handlers still running: a graceful shutdown lets them finish and ack first. */
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly conversations: ConversationsService,
    private readonly presence: PresenceService,
    private readonly metrics: MetricsService,
    private readonly config: AppConfig,
  ) {}

  attach(namespace: ChatNamespace): void {
    this.namespace = namespace;
  }

  get isDraining(): boolean {
    return this.draining;
  }

  /** Sets up an authenticated socket, or answers why it cannot stay and closes it. */
  async connect(socket: ChatSocket): Promise<void> {
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
    if (!this.claimSlot(socket)) {
      this.metrics.socketErrors.inc({ event: 'connect', code: 'CONNECTION_LIMIT' });
      socket.emit('error', { code: 'CONNECTION_LIMIT', error: `At most ${this.config.maxSocketsPerUser} connections per user`, event: 'connect' });
      socket.disconnect(true);
      return;
    }
    const { userId, sessionId } = socket.data;
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
      // Last: clients take auth:success as "everything from here on reaches me".
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

  async disconnect(socket: ChatSocket): Promise<void> {
    this.releaseSlot(socket);
    if (!socket.data.connectedAt) return;
    this.metrics.socketsConnected.dec();
    this.logger.log({ msg: 'socket disconnected', socketId: socket.id, userId: socket.data.userId, durationMs: Date.now() - socket.data.connectedAt });
    // Tracked, so a graceful shutdown records the user going offline before the pools close.
    await this.track(this.presence.deviceDisconnected(socket.data.userId, socket.id).catch((error: unknown) => this.logger.error(error)));
  }

  /** Counts `work` as running until it settles; `drain` waits for it. */
  track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
    return work;
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
    for (const socket of this.namespace?.sockets.values() ?? []) socket.conn.close();
    const disconnected = (async () => {
      // Closing a transport fires its disconnect handler on a later tick.
      while (!expired && (this.namespace?.sockets.size ?? 0) > 0) await new Promise((resolve) => setTimeout(resolve, 10));
      await Promise.allSettled([...this.inFlight]);
    })();
    await Promise.race([disconnected, deadline]);
  }

  /** The per-user cap counts this node's sockets only. */
  private claimSlot(socket: ChatSocket): boolean {
    const { userId } = socket.data;
    const open = this.socketsPerUser.get(userId) ?? 0;
    if (open >= this.config.maxSocketsPerUser) return false;
    this.socketsPerUser.set(userId, open + 1);
    socket.data.counted = true;
    return true;
  }

  private releaseSlot(socket: ChatSocket): void {
    if (!socket.data.counted) return;
    const left = (this.socketsPerUser.get(socket.data.userId) ?? 1) - 1;
    if (left > 0) this.socketsPerUser.set(socket.data.userId, left);
    else this.socketsPerUser.delete(socket.data.userId);
  }
}
