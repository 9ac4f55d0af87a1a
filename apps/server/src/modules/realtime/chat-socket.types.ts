import type { ClientToServerEvents, ServerToClientEvents } from '@chat/shared';
import type { Namespace, Socket } from 'socket.io';

export interface SocketData {
  userId: string;
  sessionId: string;
  /** Access-token expiry, ms since the epoch. */
  expiresAt: number;
  /** Last time anything arrived from this socket. */
  lastSeenAt: number;
  authError?: { code: 'AUTH_FAILED' | 'TOKEN_EXPIRED' | 'SERVICE_UNAVAILABLE'; error: string };
  expiryTimer?: NodeJS.Timeout;
  /** Set once the socket is fully set up (authenticated and in its rooms). */
  connectedAt?: number;
  /** Counted against the per-user connection cap. */
  counted?: boolean;
  /**
   * Users whose presence this socket asked for (`presence:subscribe`), visible or not: the cap counts
   * them, and a user who opens up later lets them in. Which of them it may see is its `presence:` rooms.
   */
  presenceWatched?: Set<string>;
}

export type ChatNamespace = Namespace<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type ChatSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export const rooms = {
  conversation: (id: string) => `conversation:${id}`,
  user: (id: string) => `user:${id}`,
  session: (id: string) => `session:${id}`,
  /** Sockets that watch this user and may see them now: where their transitions go. */
  presence: (userId: string) => `presence:${userId}`,
  /** Every socket that watches this user, whether it may see them or not. */
  presenceWatch: (userId: string) => `presence-watch:${userId}`,
};
