import type { ClientToServerEvents, Message, ServerToClientEvents } from '@chat/shared';
import { type ClientSocket, openSocket, socketPool } from '@chat/test-kit';
import { io } from 'socket.io-client';
import type { SignedIn } from './builders';

export type { ClientSocket };

/** A real socket.io client on /chat; resolves once the server said auth:success. */
export const connectSocket = (baseUrl: string, token: string | undefined, options: { extraHeaders?: Record<string, string> } = {}) =>
  openSocket(baseUrl, token, options);

/**
 * Opens sockets as users on one server (or a node of a cluster) and closes them all on closeAll().
 * `heartbeatMs` beats like the web client (see openSocket).
 */
export function socketOpener(baseUrlOf: (node: number) => string) {
  const pool = socketPool();
  return {
    open: (user: SignedIn, options: { node?: number; heartbeatMs?: number } = {}) =>
      pool.open(baseUrlOf(options.node ?? 0), user.token, { heartbeatMs: options.heartbeatMs }),
    closeAll: pool.closeAll,
  };
}

/** Opens a socket that is expected to be refused; resolves with what the server said. */
export function connectExpectingRefusal(
  baseUrl: string,
  auth: Record<string, unknown>,
  query: Record<string, string> = {},
  extraHeaders?: Record<string, string>,
) {
  const socket: ClientSocket = io(`${baseUrl}/chat`, { auth, query, transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders });
  type Outcome = { authError?: unknown; connectError?: Error; disconnected: boolean; authenticated: boolean };
  return new Promise<Outcome>((resolve) => {
    const result: Outcome = { disconnected: false, authenticated: false };
    const timer = setTimeout(() => resolve(result), 5_000);
    socket.on('auth:error', (e) => (result.authError = e));
    socket.on('auth:success', () => {
      clearTimeout(timer);
      resolve({ ...result, authenticated: true });
      socket.close();
    });
    socket.on('disconnect', () => {
      clearTimeout(timer);
      result.disconnected = true;
      resolve(result);
    });
    socket.on('connect_error', (e) => {
      clearTimeout(timer);
      result.connectError = e;
      socket.close();
      resolve(result);
    });
  });
}

/** Collects every payload of `event` so tests can wait for and inspect them. */
export function collect<E extends keyof ServerToClientEvents>(socket: ClientSocket, event: E) {
  const items: Array<Parameters<ServerToClientEvents[E]>[0]> = [];
  socket.on(event as never, ((payload: Parameters<ServerToClientEvents[E]>[0]) => items.push(payload)) as never);
  return {
    items,
    async waitFor(count: number, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (items.length < count) {
        if (Date.now() > deadline) throw new Error(`${String(event)}: got ${items.length} of ${count} within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 10));
      }
      return items;
    },
  };
}

// Acks are read field by field (ok, code, messageId ...); a wrong field fails the test anyway.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Ack = any;

export const emitWithAck = <E extends keyof ClientToServerEvents>(
  socket: ClientSocket,
  event: E,
  payload: Parameters<ClientToServerEvents[E]>[0],
  timeoutMs = 10_000,
) => (socket.timeout(timeoutMs) as unknown as { emitWithAck: (e: string, p: unknown) => Promise<Ack> }).emitWithAck(event, payload);

/** The whole conversation as `sync` returns it, page after page from seq 0; `label` names the client in a failure. */
export async function syncHistory(socket: ClientSocket, conversationId: string, { label = 'sync', timeoutMs = 10_000 } = {}): Promise<Message[]> {
  const messages: Message[] = [];
  let afterSeq = 0;
  for (;;) {
    const result = await emitWithAck(socket, 'sync', { conversations: [{ conversationId, afterSeq }] }, timeoutMs);
    if (!result.ok) throw new Error(`${label}: sync failed ${JSON.stringify(result)}`);
    const page = result.conversations[0];
    messages.push(...page.messages);
    if (!page.hasMore || page.messages.length === 0) return messages;
    afterSeq = page.messages.at(-1).seq;
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
