import { Injectable } from '@nestjs/common';
import { isInfrastructureUnavailable } from '../../common/errors/error-classes';
import { AuthService } from '../auth/auth.service';
import type { AccessClaims } from '../auth/token.service';
import { type ChatNamespace, type ChatSocket, rooms } from './chat-socket.types';
import { SocketFailure } from './socket-errors';

type Middleware = Parameters<ChatNamespace['use']>[0];

function handshakeToken(socket: ChatSocket): string | null {
  const fromAuth = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
  if (typeof fromAuth === 'string' && fromAuth.length > 0) return fromAuth;
  const fromQuery = socket.handshake.query.token;
  return typeof fromQuery === 'string' && fromQuery.length > 0 ? fromQuery : null;
}

/**
 * Who a socket is: the access token of its handshake, renewed by the `auth` event. The claims live
 * in `socket.data`, with a timer that ends the socket when the token expires.
 */
@Injectable()
export class HandshakeAuth {
  constructor(private readonly auth: AuthService) {}

  /**
   * Namespace middleware: runs before 'connection', so every handler sees a settled socket.data.
   * It never refuses the handshake itself; a failure is left in `authError` for the connection
   * handler to answer with `auth:error`.
   */
  readonly middleware: Middleware = (socket, next) => {
    const token = handshakeToken(socket);
    const data = socket.data;
    data.lastSeenAt = Date.now();
    if (!token) {
      data.authError = { code: 'AUTH_FAILED', error: 'Missing access token' };
      return next();
    }
    this.auth
      .authenticate(token)
      .then((claims) => this.applyClaims(socket, claims))
      .catch((error: unknown) => {
        // Only a bad token is AUTH_FAILED; a database that cannot answer must not make a client drop a good one.
        data.authError = isInfrastructureUnavailable(error)
          ? { code: 'SERVICE_UNAVAILABLE', error: 'Cannot check the token right now; reconnect shortly' }
          : { code: 'AUTH_FAILED', error: 'Invalid or expired access token' };
      })
      .finally(() => next());
  };

  /** The `auth` event: a fresh token of the same user takes over the socket (and its session room). */
  async renew(socket: ChatSocket, token: string): Promise<{ userId: string }> {
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
  }

  /** The socket is gone: its expiry timer must not fire. */
  forget(socket: ChatSocket): void {
    clearTimeout(socket.data.expiryTimer);
  }

  private applyClaims(socket: ChatSocket, claims: AccessClaims): void {
    socket.data.userId = claims.userId;
    socket.data.sessionId = claims.sessionId;
    socket.data.expiresAt = claims.exp * 1000;
    socket.data.authError = undefined;
    clearTimeout(socket.data.expiryTimer);
    // An expired access token ends the socket unless the client re-authenticates first.
    socket.data.expiryTimer = setTimeout(
      () => {
        socket.emit('auth:error', { code: 'TOKEN_EXPIRED', error: 'Access token expired; reconnect with a new one' });
        socket.disconnect(true);
      },
      Math.max(0, socket.data.expiresAt - Date.now()),
    );
    socket.data.expiryTimer.unref();
  }
}
