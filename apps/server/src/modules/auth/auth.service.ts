import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { AuthResponse, ChangePasswordRequest, LoginRequest, RegisterRequest, User } from '@chat/shared';
import { DomainEventBus } from '../../common/events/domain-event-bus';
import { AppConfig } from '../../config/app-config';
import { TtlMap } from '../../infra/memory/ttl-map';
import { RateLimiter, type RateLimitRule } from '../../infra/rate-limit/rate-limiter';
import { MetricsService } from '../metrics/metrics.service';
import { toUserDto } from '../users/user.mapper';
import { UsersService } from '../users/users.service';
import { authErrors } from './auth.errors';
import { PasswordService } from './password.service';
import { SessionRepository } from './session.repository';
import { TokenBlacklist } from './token-blacklist';
import { type AccessClaims, TokenService } from './token.service';

export interface ClientContext {
  ip: string | null;
  userAgent: string | null;
}

/** What the controller needs: the response body plus the refresh token it puts in a cookie. */
export interface IssuedSession {
  body: AuthResponse;
  refreshToken: string;
  refreshExpiresAt: Date;
}

const LOGIN_WINDOW_SECONDS = 15 * 60;
/** How long a node trusts its last look at a session's revocation in PostgreSQL. */
const SESSION_CHECK_CACHE_MS = 5_000;
const REGISTER_WINDOW_SECONDS = 15 * 60;

@Injectable()
export class AuthService {
  private readonly sessionChecks = new TtlMap<string, boolean>();

  constructor(
    private readonly config: AppConfig,
    private readonly users: UsersService,
    private readonly passwords: PasswordService,
    private readonly tokens: TokenService,
    private readonly sessions: SessionRepository,
    private readonly blacklist: TokenBlacklist,
    private readonly rateLimiter: RateLimiter,
    private readonly events: DomainEventBus,
    private readonly metrics: MetricsService,
  ) {}

  async register(input: RegisterRequest, client: ClientContext): Promise<IssuedSession> {
    if (this.config.registerRateLimit > 0) {
      const rule = { name: 'register', points: this.config.registerRateLimit, durationSeconds: REGISTER_WINDOW_SECONDS };
      const verdict = await this.consume(rule, client.ip ?? 'unknown');
      if (!verdict.allowed) throw authErrors.tooManyRegistrations(verdict.retryAfterSeconds);
    }
    const passwordHash = await this.passwords.hash(input.password);
    const user = await this.users.create({ email: input.email, passwordHash, displayName: input.displayName });
    if (!user) throw authErrors.emailTaken();
    return this.startSession(toUserDto(user), client);
  }

  /**
   * Every attempt counts against (email, IP) before the password is checked, so parallel guesses
   * cannot slip past the limit; a successful sign-in clears the count.
   */
  async login(input: LoginRequest, client: ClientContext): Promise<IssuedSession> {
    const rule = { name: 'login', points: this.config.loginMaxFailures, durationSeconds: LOGIN_WINDOW_SECONDS };
    const key = `${input.email}|${client.ip ?? 'unknown'}`;
    const verdict = await this.consume(rule, key);
    if (!verdict.allowed) throw authErrors.tooManyLogins(verdict.retryAfterSeconds);

    const user = await this.users.findByEmail(input.email);
    const ok = await this.passwords.verify(user?.passwordHash ?? null, input.password);
    if (!user || !ok) throw authErrors.invalidCredentials();

    await this.rateLimiter.reset(rule, key);
    return this.startSession(toUserDto(user), client);
  }

  async refresh(refreshToken: string | undefined): Promise<IssuedSession> {
    if (!refreshToken) throw authErrors.missingRefreshToken();
    const claims = this.tokens.verifyRefresh(refreshToken);
    const nextTokenId = randomUUID();
    const expiresAt = this.refreshExpiry();
    const outcome = await this.sessions.rotate({
      tokenId: claims.tokenId,
      sessionId: claims.sessionId,
      nextTokenId,
      expiresAt,
      graceMs: this.config.jwt.refreshReuseGraceSeconds * 1000,
    });
    if (outcome.kind === 'reused') {
      await this.blacklist.add(`sid:${claims.sessionId}`, this.tokens.accessTtlSeconds);
      this.events.emit('auth.session-revoked', { sessionId: claims.sessionId });
      throw authErrors.refreshReused();
    }
    if (outcome.kind === 'invalid') throw authErrors.invalidToken();

    const user = await this.users.findById(outcome.userId);
    if (!user) throw authErrors.invalidToken();
    return this.issue(toUserDto(user), claims.sessionId, nextTokenId, expiresAt);
  }

  /**
   * Checks the current password (limited like sign-in, per user), stores the new one and ends every
   * other session of the user: their refresh tokens stop working, their access tokens are refused
   * and their sockets are disconnected. The caller's own session goes on.
   */
  async changePassword(claims: AccessClaims, input: ChangePasswordRequest): Promise<void> {
    const rule = { name: 'password', points: this.config.loginMaxFailures, durationSeconds: LOGIN_WINDOW_SECONDS };
    const verdict = await this.consume(rule, claims.userId);
    if (!verdict.allowed) throw authErrors.tooManyPasswordAttempts(verdict.retryAfterSeconds);

    const user = await this.users.findById(claims.userId);
    if (!user) throw authErrors.invalidToken();
    if (!(await this.passwords.verify(user.passwordHash, input.currentPassword))) throw authErrors.wrongCurrentPassword();
    await this.rateLimiter.reset(rule, claims.userId);

    await this.users.setPasswordHash(user.id, await this.passwords.hash(input.newPassword));
    const ended = await this.sessions.revokeAllExcept(user.id, claims.sessionId, 'password-change');
    for (const sessionId of ended) await this.endSessionEverywhere(sessionId);
  }

  /** Ends the session behind the access token and/or refresh cookie; either may be missing or stale. */
  async logout(access: AccessClaims | null, refreshToken: string | undefined): Promise<void> {
    const sessionIds = new Set<string>();
    if (access) {
      sessionIds.add(access.sessionId);
      await this.blacklist.add(`jti:${access.jti}`, access.exp - Date.now() / 1000);
    }
    if (refreshToken) {
      try {
        sessionIds.add(this.tokens.verifyRefresh(refreshToken).sessionId);
      } catch {
        // A stale cookie is simply cleared.
      }
    }
    for (const sessionId of sessionIds) {
      await this.sessions.revoke(sessionId, 'logout');
      await this.endSessionEverywhere(sessionId);
    }
  }

  /** After the session row is revoked: its access tokens (every tab) and open sockets stop at once. */
  /** One attempt against a rule; a refusal also counts in the rate-limit metric. */
  private async consume(rule: RateLimitRule, key: string) {
    const verdict = await this.rateLimiter.consume(rule, key);
    if (!verdict.allowed) this.metrics.rateLimitHits.inc({ rule: rule.name });
    return verdict;
  }

  private async endSessionEverywhere(sessionId: string): Promise<void> {
    this.sessionChecks.set(sessionId, true, SESSION_CHECK_CACHE_MS);
    await this.blacklist.add(`sid:${sessionId}`, this.tokens.accessTtlSeconds);
    this.events.emit('auth.session-revoked', { sessionId });
  }

  /**
   * Checks an access token: signature, type, expiry, and that neither it nor its session was revoked.
   * The blacklist answers at once on every node; the session row in PostgreSQL (looked at every few
   * seconds per session) still answers after Redis lost the blacklist in a restart.
   */
  async authenticate(accessToken: string): Promise<AccessClaims> {
    const claims = this.tokens.verifyAccess(accessToken);
    if (await this.blacklist.hasAny([`jti:${claims.jti}`, `sid:${claims.sessionId}`])) throw authErrors.revokedToken();
    if (await this.sessionRevoked(claims.sessionId)) throw authErrors.revokedToken();
    return claims;
  }

  private async sessionRevoked(sessionId: string): Promise<boolean> {
    // Without the shared blacklist a logout on another node is only visible in PostgreSQL: ask it.
    const cached = this.blacklist.available() ? this.sessionChecks.get(sessionId) : undefined;
    if (cached !== undefined) return cached;
    const revoked = await this.sessions.isRevoked(sessionId);
    this.sessionChecks.set(sessionId, revoked, SESSION_CHECK_CACHE_MS);
    return revoked;
  }

  async me(userId: string): Promise<User> {
    const user = await this.users.findById(userId);
    if (!user) throw authErrors.invalidToken();
    return toUserDto(user);
  }

  private async startSession(user: User, client: ClientContext): Promise<IssuedSession> {
    const tokenId = randomUUID();
    const expiresAt = this.refreshExpiry();
    const sessionId = await this.sessions.createWithToken({
      userId: user.id,
      userAgent: client.userAgent?.slice(0, 512) ?? null,
      ip: client.ip,
      tokenId,
      expiresAt,
    });
    return this.issue(user, sessionId, tokenId, expiresAt);
  }

  private issue(user: User, sessionId: string, refreshTokenId: string, refreshExpiresAt: Date): IssuedSession {
    const access = this.tokens.signAccess(user.id, sessionId);
    return {
      body: { accessToken: access.token, expiresIn: this.tokens.accessTtlSeconds, user },
      refreshToken: this.tokens.signRefresh(user.id, sessionId, refreshTokenId),
      refreshExpiresAt,
    };
  }

  private refreshExpiry(): Date {
    return new Date(Date.now() + this.tokens.refreshTtlSeconds * 1000);
  }
}
