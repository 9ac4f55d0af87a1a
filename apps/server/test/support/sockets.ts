import type { ClientToServerEvents, ServerToClientEvents } from '@chat/shared';
import { io, type Socket } from 'socket.io-client';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A real socket.io client on /chat; resolves once the server said auth:success. */
export async function connectSocket(baseUrl: string, token: string | undefined, options: { extraHeaders?: Record<string, string> } = {}): Promise<ClientSocket> {
  const socket: ClientSocket = io(`${baseUrl}/chat`, {
    auth: token ? { token } : {},
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    extraHeaders: options.extraHeaders,
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no auth:success within 5 s')), 5_000);
    socket.once('auth:success', () => (clearTimeout(timer), resolve()));
    socket.once('auth:error', (e) => (clearTimeout(timer), reject(new Error(`auth:error ${JSON.stringify(e)}`))));
    socket.once('connect_error', (e) => (clearTimeout(timer), reject(e)));
  });
  return socket;
}

/** Opens a socket that is expected to be refused; resolves with what the server said. */
export function connectExpectingRefusal(baseUrl: string, auth: Record<string, unknown>, query: Record<string, string> = {}, extraHeaders?: Record<string, string>) {
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

export const emitWithAck = <E extends keyof ClientToServerEvents>(socket: ClientSocket, event: E, payload: Parameters<ClientToServerEvents[E]>[0], timeoutMs = 10_000) =>
  (socket.timeout(timeoutMs) as unknown as { emitWithAck: (e: string, p: unknown) => Promise<any> }).emitWithAck(event, payload);

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
