import { Injectable } from '@nestjs/common';
import { type Database, refreshTokens, sessions } from '@chat/db';
import { and, eq, isNull, ne, sql } from 'drizzle-orm';
import { InjectDb } from '../../infra/database/database.module';

export type RotationOutcome = { kind: 'rotated'; userId: string } | { kind: 'reused'; userId: string } | { kind: 'invalid' };

@Injectable()
export class SessionRepository {
  private revokedQuery?: { execute(values: { sessionId: string }): Promise<Array<{ revokedAt: Date | null }>> };

  constructor(@InjectDb() private readonly db: Database) {}

  /** A new refresh-token family with its first token, in one transaction. */
  async createWithToken(input: { userId: string; userAgent: string | null; ip: string | null; tokenId: string; expiresAt: Date }): Promise<string> {
    return this.db.transaction(async (tx) => {
      const [session] = await tx
        .insert(sessions)
        .values({ userId: input.userId, userAgent: input.userAgent, ip: input.ip, expiresAt: input.expiresAt })
        .returning({ id: sessions.id });
      await tx.insert(refreshTokens).values({ id: input.tokenId, sessionId: session!.id, expiresAt: input.expiresAt });
      return session!.id;
    });
  }

  /**
   * Spends refresh token `tokenId` and records `nextTokenId` as its successor. The token row is
   * locked, so of two concurrent uses exactly one is first. A token spent less than `graceMs` ago
   * is honoured again (two tabs refreshing together); any later use is theft and ends the family.
   */
  async rotate(input: { tokenId: string; sessionId: string; nextTokenId: string; expiresAt: Date; graceMs: number }): Promise<RotationOutcome> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx
        .select({ token: refreshTokens, session: sessions })
        .from(refreshTokens)
        .innerJoin(sessions, eq(sessions.id, refreshTokens.sessionId))
        .where(and(eq(refreshTokens.id, input.tokenId), eq(refreshTokens.sessionId, input.sessionId)))
        .for('update', { of: refreshTokens });
      if (!row) return { kind: 'invalid' };
      const { token, session } = row;
      const now = new Date();
      if (session.revokedAt || session.expiresAt <= now || token.expiresAt <= now) return { kind: 'invalid' };

      const withinGrace = token.usedAt !== null && now.getTime() - token.usedAt.getTime() <= input.graceMs;
      if (token.usedAt !== null && !withinGrace) {
        await tx
          .update(sessions)
          .set({ revokedAt: now, revokeReason: 'refresh-token-reuse' })
          .where(and(eq(sessions.id, session.id), isNull(sessions.revokedAt)));
        return { kind: 'reused', userId: session.userId };
      }
      if (token.usedAt === null) {
        await tx.update(refreshTokens).set({ usedAt: now, replacedBy: input.nextTokenId }).where(eq(refreshTokens.id, token.id));
      }
      await tx.insert(refreshTokens).values({ id: input.nextTokenId, sessionId: session.id, expiresAt: input.expiresAt });
      await tx.update(sessions).set({ lastUsedAt: now, expiresAt: input.expiresAt }).where(eq(sessions.id, session.id));
      return { kind: 'rotated', userId: session.userId };
    });
  }

  /** True when the session was ended (logout, theft) or does not exist. */
  /** Asked when a socket connects (then cached a while): prepared. */
  async isRevoked(sessionId: string): Promise<boolean> {
    this.revokedQuery ??= this.db
      .select({ revokedAt: sessions.revokedAt })
      .from(sessions)
      .where(eq(sessions.id, sql.placeholder('sessionId')))
      .limit(1)
      .prepare('chat_session_revoked');
    const [row] = await this.revokedQuery.execute({ sessionId });
    return !row || row.revokedAt !== null;
  }

  /** Ends every live session of the user but `keepSessionId`; returns the ended ones. */
  async revokeAllExcept(userId: string, keepSessionId: string, reason: string): Promise<string[]> {
    const rows = await this.db
      .update(sessions)
      .set({ revokedAt: new Date(), revokeReason: reason })
      .where(and(eq(sessions.userId, userId), ne(sessions.id, keepSessionId), isNull(sessions.revokedAt)))
      .returning({ id: sessions.id });
    return rows.map((row) => row.id);
  }

  async revoke(sessionId: string, reason: string): Promise<void> {
    await this.db
      .update(sessions)
      .set({ revokedAt: new Date(), revokeReason: reason })
      .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)));
  }
}
