import {
  type Ack,
  CHAT_NAMESPACE,
  type ClientToServerEvents,
  type HeartbeatEvent,
  type MarkReadResult,
  type MessageSendAck,
  type PresenceWatchEvent,
  type PresenceWatchResult,
  type ReactionEvent,
  type ReactionState,
  type SendMessageEvent,
  type ServerToClientEvents,
  type SyncEvent,
  type SyncResult,
  type TypingEvent,
} from '@chat/shared';
import { io, type Socket } from 'socket.io-client';
import { type ApiClient, ApiError } from './api-client';

export type ChatSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * connecting    first connection of this page, not authenticated yet
 * connected     authenticated: events flow
 * reconnecting  lost the connection (or the token) and trying again
 * offline       the browser reports no network, or the service was stopped
 */
export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'offline';

type ServerEvent = keyof ServerToClientEvents;
type AckedEvent = 'message:send' | 'subscribe' | 'sync' | 'receipt:read' | 'presence:subscribe' | 'presence:unsubscribe' | 'reaction:add' | 'reaction:remove';
type Listener<E extends ServerEvent> = Parameters<ServerToClientEvents[E]>[0];

export const SEND_TIMEOUT_MS = 10_000;
export const HEARTBEAT_INTERVAL_MS = 15_000;
export const AWAY_AFTER_MS = 5 * 60_000;
/** A timer that fires this much later than asked means the machine slept. */
const WAKE_GAP_MS = 20_000;
const WAKE_CHECK_MS = 5_000;
const MANUAL_RETRY_BASE_MS = 1_000;
const MANUAL_RETRY_MAX_MS = 30_000;

export interface ChatSocketOptions {
  api: Pick<ApiClient, 'getAccessToken' | 'refreshSession' | 'expireSession' | 'onSessionEvent'>;
  /** Origin of the server; the page's own by default. */
  url?: string;
  /** Injected by tests. */
  createSocket?: (url: string, options: Parameters<typeof io>[1]) => ChatSocket;
}

/** Failure of an acknowledged emit: the server's answer, or a local timeout / no connection. */
export class SocketRequestError extends Error {
  readonly code: string;
  readonly retryAfter: number | undefined;
  constructor(code: string, message: string, retryAfter?: number) {
    super(message);
    this.name = 'SocketRequestError';
    this.code = code;
    this.retryAfter = retryAfter;
  }
}

/**
 * The one socket of this tab to the /chat namespace. It owns the reconnection policy the protocol
 * asks for: socket.io's own backoff for dropped transports; a manual backoff (with a token refresh
 * when the server rejected ours) after a server-side disconnect; re-auth over the open socket when
 * the token is renewed; heartbeats; and a "resync" signal after every (re)connect and wake-up so
 * callers can run the catch-up protocol.
 */
export class ChatSocketService {
  private socket: ChatSocket | null = null;
  private statusValue: ConnectionStatus = 'connecting';
  private ready = false;
  private readonly statusListeners = new Set<(status: ConnectionStatus) => void>();
  private readonly resyncListeners = new Set<(reason: 'connect' | 'wake') => void>();
  private readonly cleanups: Array<() => void> = [];
  private tokenRejected = false;
  private manualAttempt = 0;
  private manualTimer: ReturnType<typeof setTimeout> | undefined;
  private stopped = true;
  private lastActivity = Date.now();
  /** We closed the socket because the browser went offline; reopen it when the network is back. */
  private droppedOffline = false;

  constructor(private readonly options: ChatSocketOptions) {}

  get status(): ConnectionStatus {
    return this.statusValue;
  }

  /** Authenticated and able to emit right now. */
  get isReady(): boolean {
    return this.ready && this.socket?.connected === true;
  }

  private ensureSocket(): ChatSocket {
    if (this.socket) return this.socket;
    const create = this.options.createSocket ?? ((url, opts) => io(url, opts));
    const socket = create(`${this.options.url ?? ''}${CHAT_NAMESPACE}`, {
      // A function, so every reconnect presents the token current at that moment.
      auth: (cb) => cb({ token: this.options.api.getAccessToken() ?? '' }),
      transports: ['websocket'],
      autoConnect: false,
      reconnection: true,
      reconnectionDelay: 1_000,
      reconnectionDelayMax: 10_000,
      randomizationFactor: 0.5,
    });
    this.socket = socket;

    socket.on('auth:success', () => {
      this.ready = true;
      this.tokenRejected = false;
      this.manualAttempt = 0;
      this.setStatus('connected');
      this.sendHeartbeat();
      this.emitResync('connect');
    });
    socket.on('auth:error', () => {
      // The server disconnects next; reconnecting with the same token would only fail again.
      this.tokenRejected = true;
    });
    socket.on('disconnect', (reason) => {
      this.ready = false;
      if (this.stopped) return;
      this.setStatus(isOffline() ? 'offline' : 'reconnecting');
      // socket.io retries transport failures itself; a server-side disconnect is left to us.
      if (reason === 'io server disconnect') this.scheduleManualReconnect();
    });
    socket.on('connect_error', () => {
      if (this.stopped) return;
      this.setStatus(isOffline() ? 'offline' : 'reconnecting');
      // A middleware rejection is not retried by socket.io (the socket goes inactive).
      if (!socket.active) this.scheduleManualReconnect();
    });
    return socket;
  }

  connect(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.setStatus(isOffline() ? 'offline' : 'connecting');
    this.ensureSocket().connect();
    this.cleanups.push(
      this.options.api.onSessionEvent((event) => {
        // Renew the open socket's token before the old one expires on the server.
        if (event.type === 'refreshed' && this.socket?.connected) this.socket.emit('auth', { token: event.session.accessToken });
      }),
    );
    this.watchEnvironment();
  }

  /** Closes the connection; listeners stay registered for a later connect(). */
  disconnect(): void {
    this.stopped = true;
    this.ready = false;
    clearTimeout(this.manualTimer);
    this.manualTimer = undefined;
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    this.socket?.disconnect();
    this.setStatus('offline');
  }

  /** Subscribes to a server event; returns the unsubscribe function. Survives reconnects. */
  on<E extends ServerEvent>(event: E, listener: (payload: Listener<E>) => void): () => void {
    const socket = this.ensureSocket();
    // socket.io's typed `on` cannot see through the generic E.
    const untyped = socket as unknown as { on(e: string, l: (p: unknown) => void): void; off(e: string, l: (p: unknown) => void): void };
    const handler = listener as (payload: unknown) => void;
    untyped.on(event, handler);
    return () => untyped.off(event, handler);
  }

  onMessageReceived(listener: (payload: Listener<'message:received'>) => void) {
    return this.on('message:received', listener);
  }

  onTyping(listener: (payload: Listener<'typing:started'> & { typing: boolean }) => void) {
    const offStart = this.on('typing:started', (payload) => listener({ ...payload, typing: true }));
    const offStop = this.on('typing:stopped', (payload) => listener({ ...payload, typing: false }));
    return () => {
      offStart();
      offStop();
    };
  }

  onStatusChange(listener: (status: ConnectionStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** After every (re)connect and wake-up: time to catch up on what was missed. */
  onResync(listener: (reason: 'connect' | 'wake') => void): () => void {
    this.resyncListeners.add(listener);
    return () => this.resyncListeners.delete(listener);
  }

  /** Resolves with the stored message; rejects with a SocketRequestError (server error, timeout, not connected). */
  sendMessage(payload: SendMessageEvent, timeoutMs = SEND_TIMEOUT_MS): Promise<MessageSendAck> {
    return this.request<MessageSendAck>('message:send', payload, timeoutMs);
  }

  subscribe(conversationId: string): Promise<{ lastSeq: number }> {
    return this.request('subscribe', { conversationId });
  }

  sync(payload: SyncEvent, timeoutMs = 15_000): Promise<SyncResult> {
    return this.request<SyncResult>('sync', payload, timeoutMs);
  }

  markRead(conversationId: string, messageId: string): Promise<MarkReadResult> {
    return this.request<MarkReadResult>('receipt:read', { conversationId, messageId });
  }

  /** Adds (`on`) or removes the viewer's emoji; resolves with the message's reactions after it. */
  react(payload: ReactionEvent, on: boolean): Promise<ReactionState> {
    return this.request<ReactionState>(on ? 'reaction:add' : 'reaction:remove', payload);
  }

  /**
   * 'presence:update' of these users reaches this connection from now on, until unsubscribed or
   * disconnected; resolves with their current presence. The server refuses (PRESENCE_LIMIT) a
   * subscribe that would take it over PRESENCE_WATCH_MAX users in all.
   */
  subscribePresence(userIds: readonly string[]): Promise<PresenceWatchResult> {
    const payload: PresenceWatchEvent = { userIds: [...userIds] };
    return this.request<PresenceWatchResult>('presence:subscribe', payload);
  }

  unsubscribePresence(userIds: readonly string[]): Promise<void> {
    const payload: PresenceWatchEvent = { userIds: [...userIds] };
    return this.request('presence:unsubscribe', payload).then(() => undefined);
  }

  /** Typing in the conversation's main list, or in one of its threads (`threadRootId`). */
  startTyping(place: TypingEvent): void {
    if (this.isReady) this.socket?.emit('typing:start', place);
  }

  stopTyping(place: TypingEvent): void {
    if (this.isReady) this.socket?.emit('typing:stop', place);
  }

  /** Call on user input; the heartbeat reports "away" after AWAY_AFTER_MS without any. */
  noteActivity(): void {
    this.lastActivity = Date.now();
  }

  private request<T extends object>(event: AckedEvent, payload: unknown, timeoutMs = SEND_TIMEOUT_MS): Promise<T> {
    const socket = this.socket;
    // Emits made while disconnected would be buffered and sent later; the caller decides instead.
    if (!socket || !this.isReady) return Promise.reject(new SocketRequestError('NOT_CONNECTED', 'Not connected'));
    return new Promise<T>((resolve, reject) => {
      const untyped = socket.timeout(timeoutMs) as unknown as {
        emit(event: string, payload: unknown, ack: (error: Error | null, result: Ack<T>) => void): void;
      };
      untyped.emit(event, payload, (error, result) => {
        if (error) reject(new SocketRequestError('TIMEOUT', 'The server did not answer in time'));
        else if (result.ok) resolve(result);
        else reject(new SocketRequestError(result.code, result.error, result.retryAfter));
      });
    });
  }

  private setStatus(status: ConnectionStatus): void {
    if (this.statusValue === status) return;
    this.statusValue = status;
    for (const listener of this.statusListeners) listener(status);
  }

  private emitResync(reason: 'connect' | 'wake'): void {
    for (const listener of this.resyncListeners) listener(reason);
  }

  private sendHeartbeat(): void {
    if (!this.isReady) return;
    const idle = Date.now() - this.lastActivity > AWAY_AFTER_MS;
    const payload: HeartbeatEvent = { status: idle ? 'away' : 'online' };
    this.socket?.emit('presence:heartbeat', payload);
  }

  private scheduleManualReconnect(): void {
    if (this.stopped || this.manualTimer !== undefined) return;
    const base = Math.min(MANUAL_RETRY_MAX_MS, MANUAL_RETRY_BASE_MS * 2 ** this.manualAttempt);
    const delay = this.manualAttempt === 0 ? 0 : base / 2 + Math.random() * (base / 2);
    this.manualAttempt += 1;
    this.manualTimer = setTimeout(() => {
      this.manualTimer = undefined;
      void this.reconnectNow();
    }, delay);
  }

  private async reconnectNow(): Promise<void> {
    if (this.stopped || !this.socket || this.socket.connected) return;
    if (this.tokenRejected || !this.options.api.getAccessToken()) {
      try {
        await this.options.api.refreshSession();
        this.tokenRejected = false;
      } catch (error) {
        // The session is over (ended elsewhere, e.g. a password change): sign out, which stops this
        // service. Nothing else may ask the server soon (no polling), so this is what signs out.
        if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
          this.setStatus('offline');
          this.options.api.expireSession();
          return;
        }
        this.scheduleManualReconnect();
        return;
      }
    }
    if (this.stopped || !this.socket) return;
    this.socket.connect();
    // If this attempt fails, connect_error / disconnect schedule the next one.
  }

  /** Reconnect at once instead of waiting out the backoff (network back, laptop awake). */
  private kick(): void {
    const socket = this.socket;
    if (this.stopped || !socket || socket.connected) return;
    clearTimeout(this.manualTimer);
    this.manualTimer = undefined;
    if (this.tokenRejected) {
      void this.reconnectNow();
      return;
    }
    // disconnect() resets socket.io's backoff; connect() opens right away.
    socket.disconnect();
    socket.connect();
  }

  private watchEnvironment(): void {
    if (typeof window === 'undefined') return;
    const wake = () => {
      if (this.isReady) this.emitResync('wake');
      else this.kick();
    };
    const onOnline = () => {
      this.droppedOffline = false;
      this.setStatus(this.isReady ? 'connected' : 'reconnecting');
      wake();
    };
    const onOffline = () => {
      // A dead network can leave the socket looking open until its ping times out, swallowing
      // sends meanwhile: close it now, so sends wait in the outbox and the header says so.
      if (this.socket?.connected) {
        this.droppedOffline = true;
        this.socket.disconnect();
      }
      this.setStatus('offline');
    };
    const onVisibility = () => {
      if (document.visibilityState === 'visible') {
        this.noteActivity();
        wake();
      }
    };
    const onActivity = () => this.noteActivity();
    window.addEventListener('online', onOnline);
    window.addEventListener('offline', onOffline);
    document.addEventListener('visibilitychange', onVisibility);
    for (const name of ['keydown', 'mousemove', 'pointerdown', 'focus'] as const) window.addEventListener(name, onActivity, { passive: true });

    let lastTick = Date.now();
    const wakeTimer = setInterval(() => {
      const now = Date.now();
      if (now - lastTick > WAKE_GAP_MS) wake();
      else if (this.droppedOffline && !isOffline()) onOnline(); // the "online" event can be missed
      lastTick = now;
    }, WAKE_CHECK_MS);
    const heartbeatTimer = setInterval(() => this.sendHeartbeat(), HEARTBEAT_INTERVAL_MS);

    this.cleanups.push(() => {
      window.removeEventListener('online', onOnline);
      window.removeEventListener('offline', onOffline);
      document.removeEventListener('visibilitychange', onVisibility);
      for (const name of ['keydown', 'mousemove', 'pointerdown', 'focus'] as const) window.removeEventListener(name, onActivity);
      clearInterval(wakeTimer);
      clearInterval(heartbeatTimer);
    });
  }
}

function isOffline(): boolean {
  return typeof navigator !== 'undefined' && navigator.onLine === false;
}
