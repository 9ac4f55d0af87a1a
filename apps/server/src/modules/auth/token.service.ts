import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AppConfig } from '../../config/app-config';
import { authErrors } from './auth.errors';

export interface AccessClaims {
  userId: string;
  sessionId: string;
  jti: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

export interface RefreshClaims {
  userId: string;
  sessionId: string;
  tokenId: string;
}

interface JwtPayload {
  sub?: unknown;
  sid?: unknown;
  typ?: unknown;
  jti?: unknown;
  exp?: unknown;
}

const ALGORITHM = 'HS256';

/** Signs and checks the two token kinds; each has its own secret and a `typ` claim so neither passes for the other. */
@Injectable()
export class TokenService {
  constructor(
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
  ) {}

  get accessTtlSeconds(): number {
    return this.config.jwt.accessTtlSeconds;
  }

  get refreshTtlSeconds(): number {
    return this.config.jwt.refreshTtlSeconds;
  }

  signAccess(userId: string, sessionId: string): { token: string; jti: string } {
    const jti = randomUUID();
    const token = this.jwt.sign(
      { sid: sessionId, typ: 'access' },
      { secret: this.config.jwt.accessSecret, algorithm: ALGORITHM, subject: userId, jwtid: jti, expiresIn: this.accessTtlSeconds },
    );
    return { token, jti };
  }

  signRefresh(userId: string, sessionId: string, tokenId: string): string {
    return this.jwt.sign(
      { sid: sessionId, typ: 'refresh' },
      { secret: this.config.jwt.refreshSecret, algorithm: ALGORITHM, subject: userId, jwtid: tokenId, expiresIn: this.refreshTtlSeconds },
    );
  }

  verifyAccess(token: string): AccessClaims {
    const payload = this.verify(token, this.config.jwt.accessSecret, 'access');
    return { userId: payload.sub, sessionId: payload.sid, jti: payload.jti, exp: payload.exp };
  }

  verifyRefresh(token: string): RefreshClaims {
    const payload = this.verify(token, this.config.jwt.refreshSecret, 'refresh');
    return { userId: payload.sub, sessionId: payload.sid, tokenId: payload.jti };
  }

  private verify(token: string, secret: string, typ: 'access' | 'refresh') {
    let payload: JwtPayload;
    try {
      payload = this.jwt.verify<JwtPayload & object>(token, { secret, algorithms: [ALGORITHM] });
    } catch {
      throw authErrors.invalidToken();
    }
    const { sub, sid, jti, exp } = payload;
    if (payload.typ !== typ || typeof sub !== 'string' || typeof sid !== 'string' || typeof jti !== 'string' || typeof exp !== 'number') {
      throw authErrors.invalidToken();
    }
    return { sub, sid, jti, exp };
  }
}
