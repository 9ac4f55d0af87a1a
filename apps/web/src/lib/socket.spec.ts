import type { AuthResponse } from '@chat/shared';
import { describe, expect, it, vi } from 'vitest';
import { ApiError, type SessionEvent } from './api-client';
import { type ChatSocket, ChatSocketService, SocketRequestError } from './socket';

type Handler = (...args: unknown[]) => void;

/** Just enough of a socket.io client socket to drive the service from the "server" side. */
class FakeSocket {
  connected = false;
  active = false;
  connects = 0;
  readonly emitted: Array<{ event: string; payload: unknown }> = [];
  private readonly handlers = new Map<string, Set<Handler>>();
  /** Answers acknowledged emits: event -> ack payload. */
  answers = new Map<string, unknown>();

  on(event: string, handler: Handler) {
    if (!this.handlers.has(event)) this.handlers.set(event, new Set());
    this.handlers.get(event)?.add(handler);
    return this;
  }
  off(event: string, handler: Handler) {
    this.handlers.get(event)?.delete(handler);
    return this;
  }
  emit(event: string, payload: unknown) {
    this.emitted.push({ event, payload });
    return this;
  }
  timeout() {
    return {
      emit: (event: string, payload: unknown, ack: (error: Error | null, result: unknown) => void) => {
        this.emitted.push({ event, payload });
        if (this.answers.has(event)) queueMicrotask(() => ack(null, this.answers.get(event)));
        else queueMicrotask(() => ack(new Error('operation has timed out'), undefined));
      },
    };
  }
  connect() {
    this.connects += 1;
    this.active = true;
    return this;
  }
  disconnect() {
    this.active = false;
    this.connected = false;
    return this;
  }
  /** The server accepts the connection and the token. */
  accept() {
    this.connected = true;
    this.fire('connect');
    this.fire('auth:success', { userId: 'u1' });
  }
  fire(event: string, ...args: unknown[]) {
    for (const handler of this.handlers.get(event) ?? []) handler(...args);
  }
}

function setup(overrides: { refreshSession?: () => Promise<AuthResponse> } = {}) {
  const fake = new FakeSocket();
  const sessionListeners = new Set<(event: SessionEvent) => void>();
  let token = 'token-1';
  const api = {
    getAccessToken: () => token,
    refreshSession: vi.fn(
      overrides.refreshSession ??
        (async () => {
          token = 'token-2';
          return { accessToken: token } as AuthResponse;
        }),
    ),
    expireSession: vi.fn(),
    onSessionEvent: (listener: (event: SessionEvent) => void) => {
      sessionListeners.add(listener);
      return () => sessionListeners.delete(listener);
    },
  };
  let options: unknown;
  const service = new ChatSocketService({
    api,
    createSocket: (_url, opts) => {
      options = opts;
      return fake as unknown as ChatSocket;
    },
  });
  return { fake, service, api, sessionListeners, options: () => options as { auth: (cb: (data: object) => void) => void } };
}

describe('ChatSocketService', () => {
  it('is connected only after auth:success, then heartbeats and asks for a catch-up', () => {
    const { fake, service } = setup();
    const statuses: string[] = [];
    const resyncs: string[] = [];
    service.onStatusChange((status) => statuses.push(status));
    service.onResync((reason) => resyncs.push(reason));
    service.connect();
    expect(service.status).toBe('connecting');
    expect(service.isReady).toBe(false);
    fake.accept();
    expect(statuses).toEqual(['connected']);
    expect(service.isReady).toBe(true);
    expect(resyncs).toEqual(['connect']);
    expect(fake.emitted).toContainEqual({ event: 'presence:heartbeat', payload: { status: 'online' } });
    service.disconnect();
  });

  it('presents the current token on every (re)connect', () => {
    const { service, options } = setup();
    service.connect();
    const seen: object[] = [];
    options().auth((data) => seen.push(data));
    expect(seen).toEqual([{ token: 'token-1' }]);
    service.disconnect();
  });

  it('resolves a send with the ack and rejects with the server code (rate limit with retryAfter)', async () => {
    const { fake, service } = setup();
    service.connect();
    await expect(service.sendMessage({ conversationId: 'c', content: 'x', clientMessageId: 'm' })).rejects.toMatchObject({ code: 'NOT_CONNECTED' });
    fake.accept();
    fake.answers.set('message:send', { ok: true, messageId: 'id1', seq: 4 });
    await expect(service.sendMessage({ conversationId: 'c', content: 'x', clientMessageId: 'm' })).resolves.toMatchObject({ seq: 4 });
    fake.answers.set('message:send', { ok: false, code: 'RATE_LIMITED', error: 'slow down', retryAfter: 12 });
    const error = await service.sendMessage({ conversationId: 'c', content: 'x', clientMessageId: 'm' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SocketRequestError);
    expect(error).toMatchObject({ code: 'RATE_LIMITED', retryAfter: 12 });
    fake.answers.delete('message:send');
    await expect(service.sendMessage({ conversationId: 'c', content: 'x', clientMessageId: 'm' }, 10)).rejects.toMatchObject({ code: 'TIMEOUT' });
    service.disconnect();
  });

  it('subscribes to presence with the ack presences, and refuses over the limit with the server code', async () => {
    const { fake, service } = setup();
    const ids = ['00000000-0000-4000-8000-0000000000b1', '00000000-0000-4000-8000-0000000000c1'];
    service.connect();
    await expect(service.subscribePresence(ids)).rejects.toMatchObject({ code: 'NOT_CONNECTED' });
    expect(fake.emitted.filter(({ event }) => event === 'presence:subscribe')).toEqual([]);
    fake.accept();
    const bob = { userId: ids[0], status: 'online', lastActivity: '2025-05-14T12:00:00.000Z', lastSeenAt: null };
    fake.answers.set('presence:subscribe', { ok: true, presences: [bob] });
    await expect(service.subscribePresence(ids)).resolves.toMatchObject({ presences: [bob] });
    expect(fake.emitted).toContainEqual({ event: 'presence:subscribe', payload: { userIds: ids } });
    fake.answers.set('presence:subscribe', { ok: false, code: 'PRESENCE_LIMIT', error: 'At most 500 watched users' });
    const error = await service.subscribePresence(ids).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SocketRequestError);
    expect(error).toMatchObject({ code: 'PRESENCE_LIMIT' });
    service.disconnect();
  });

  it('unsubscribes from presence and reports a missing answer as a timeout', async () => {
    const { fake, service } = setup();
    const ids = ['00000000-0000-4000-8000-0000000000b1'];
    service.connect();
    fake.accept();
    fake.answers.set('presence:unsubscribe', { ok: true });
    await expect(service.unsubscribePresence(ids)).resolves.toBeUndefined();
    expect(fake.emitted).toContainEqual({ event: 'presence:unsubscribe', payload: { userIds: ids } });
    fake.answers.delete('presence:unsubscribe');
    await expect(service.unsubscribePresence(ids)).rejects.toMatchObject({ code: 'TIMEOUT' });
    service.disconnect();
  });

  it('re-authenticates the open socket when the token is refreshed', () => {
    const { fake, service, sessionListeners } = setup();
    service.connect();
    fake.accept();
    for (const listener of sessionListeners) listener({ type: 'refreshed', session: { accessToken: 'fresh' } as AuthResponse });
    expect(fake.emitted).toContainEqual({ event: 'auth', payload: { token: 'fresh' } });
    service.disconnect();
  });

  it('after auth:error and a server disconnect, refreshes the token before reconnecting', async () => {
    vi.useFakeTimers();
    try {
      const { fake, service, api } = setup();
      service.connect();
      fake.accept();
      expect(fake.connects).toBe(1);
      fake.fire('auth:error', { code: 'TOKEN_EXPIRED', error: 'expired' });
      fake.connected = false;
      fake.fire('disconnect', 'io server disconnect');
      expect(service.status).toBe('reconnecting');
      await vi.runOnlyPendingTimersAsync();
      expect(api.refreshSession).toHaveBeenCalledTimes(1);
      expect(fake.connects).toBe(2);
      fake.accept();
      expect(service.status).toBe('connected');
      service.disconnect();
    } finally {
      vi.useRealTimers();
    }
  });

  it('stops trying when the session is over, and ends it so the app signs out', async () => {
    vi.useFakeTimers();
    try {
      const { fake, service, api } = setup({
        refreshSession: () => Promise.reject(new ApiError({ status: 401, message: 'no session' })),
      });
      service.connect();
      fake.accept();
      fake.fire('auth:error', { code: 'AUTH_FAILED', error: 'revoked' });
      fake.connected = false;
      fake.fire('disconnect', 'io server disconnect');
      await vi.runOnlyPendingTimersAsync();
      expect(fake.connects).toBe(1);
      expect(service.status).toBe('offline');
      expect(api.expireSession).toHaveBeenCalledTimes(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
