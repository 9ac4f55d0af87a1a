import { randomUUID } from 'node:crypto';
import type { Message } from '@chat/shared';
import { io, type ManagerOptions, type SocketOptions } from 'socket.io-client';
import { type ClientSocket, emitWithAck, sleep, syncHistory } from '../sockets';

/**
 * A chat client as the web app behaves in production: one socket.io connection (WebSocket only)
 * that reconnects by itself when its node goes away, sends each message with a clientMessageId,
 * and sends again with the same id whatever was never acknowledged.
 */
export class FailoverClient {
  /** clientMessageId -> content, sent but not (yet) acknowledged. */
  readonly pending = new Map<string, string>();
  /** clientMessageId -> messageId, acknowledged. */
  readonly acked = new Map<string, string>();
  /** Every message:received, by message id. */
  readonly received = new Map<string, Message>();
  /** How many times the server said auth:success (1 + reconnections). */
  sessions = 0;
  /** What happened to the connection, for failure messages. */
  readonly log: string[] = [];
  socket!: ClientSocket;
  private authenticated = false;
  private authError?: unknown;

  constructor(
    readonly name: string,
    readonly baseUrl: string,
    readonly token: string,
    readonly conversationId: string,
    readonly options: Partial<ManagerOptions & SocketOptions> = {},
  ) {}

  async connect(timeoutMs = 5_000): Promise<this> {
    this.socket = io(`${this.baseUrl}/chat`, {
      auth: { token: this.token },
      transports: ['websocket'],
      forceNew: true,
      reconnection: true,
      reconnectionDelay: 100,
      reconnectionDelayMax: 500,
      randomizationFactor: 0.3,
      timeout: 3_000,
      ...this.options,
    });
    const started = Date.now();
    const note = (event: string) => this.log.push(`+${Date.now() - started}ms ${event}`);
    this.socket.on('connect', () => note('connect'));
    this.socket.on('auth:success', () => {
      this.authenticated = true;
      this.sessions++;
      note('auth:success');
    });
    this.socket.on('auth:error', (error) => {
      this.authError = error;
      note(`auth:error ${JSON.stringify(error)}`);
    });
    this.socket.on('disconnect', (reason) => {
      this.authenticated = false;
      note(`disconnect (${reason})`);
    });
    this.socket.on('connect_error', (error) => note(`connect_error (${error.message})`));
    this.socket.io.on('reconnect_attempt', (attempt) => note(`reconnect attempt ${attempt}`));
    this.socket.on('message:received', ({ message }) => this.received.set(message.id, message));
    await this.untilAuthenticated(timeoutMs);
    return this;
  }

  get isAuthenticated(): boolean {
    return this.authenticated && this.socket.connected;
  }

  async untilAuthenticated(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.isAuthenticated) {
      if (this.authError) throw new Error(`${this.name}: auth:error ${JSON.stringify(this.authError)}`);
      if (Date.now() > deadline) throw new Error(`${this.name}: not connected and authenticated within ${timeoutMs} ms:\n${this.log.join('\n')}`);
      await sleep(10);
    }
  }

  /** Sends again whatever is pending, then one new message. */
  async sendNext(content: string): Promise<void> {
    await this.resendPending();
    const clientMessageId = randomUUID();
    this.pending.set(clientMessageId, content);
    await this.attempt(clientMessageId);
  }

  async resendPending(): Promise<void> {
    for (const clientMessageId of [...this.pending.keys()]) await this.attempt(clientMessageId);
  }

  /** Keeps resending until every message is acknowledged. */
  async settle(timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.pending.size > 0) {
      if (Date.now() > deadline) throw new Error(`${this.name}: ${this.pending.size} message(s) still unacknowledged after ${timeoutMs} ms`);
      await this.resendPending();
    }
  }

  /** The whole conversation as `sync` returns it, page after page. */
  async history(): Promise<Message[]> {
    await this.untilAuthenticated(5_000);
    return syncHistory(this.socket, this.conversationId, { label: this.name });
  }

  close(): void {
    this.socket?.close();
  }

  private async attempt(clientMessageId: string): Promise<void> {
    try {
      // Not while disconnected: socket.io would buffer the event and send it after the ack timeout.
      await this.untilAuthenticated(10_000);
      const ack = await emitWithAck(
        this.socket,
        'message:send',
        { conversationId: this.conversationId, content: this.pending.get(clientMessageId)!, clientMessageId },
        2_000,
      );
      if (ack.ok) {
        this.pending.delete(clientMessageId);
        this.acked.set(clientMessageId, ack.messageId);
      }
    } catch {
      // No ack (the node went away, or no connection yet): stays pending, sent again later.
    }
  }
}
