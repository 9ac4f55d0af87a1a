export const AuthEvent = {
  /** A session ended (logout or refresh-token theft): its open sockets must close. */
  SessionRevoked: 'auth.session-revoked',
} as const;

export interface SessionRevokedEvent {
  sessionId: string;
}
