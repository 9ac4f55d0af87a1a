import { createSecretKey, randomUUID } from 'node:crypto';
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

/**
 * A signer/verifier bound to one secret. The secret is imported as a KeyObject once: handed over
 * as a string, jsonwebtoken imports it again on every call (~0.5 ms of CPU per request).
 */
function signerFor(secret: string): JwtService {
  return new JwtService({
    secret: createSecretKey(Buffer.from(secret, 'utf8')),
    signOptions: { algorithm: ALGORITHM },
    verifyOptions: { algorithms: [ALGORITHM] },
  });
}

/** Signs and checks the two token kinds; each has its own secret and a `typ` claim so neither passes for the other. */
@Injectable()
export class TokenService {
  private readonly access: JwtService;
  private readonly refresh: JwtService;

  constructor(private readonly config: AppConfig) {
    this.access = signerFor(config.jwt.accessSecret);
    this.refresh = signerFor(config.jwt.refreshSecret);
  }

  get accessTtlSeconds(): number {
    return this.config.jwt.accessTtlSeconds;
  }

  get refreshTtlSeconds(): number {
    return this.config.jwt.refreshTtlSeconds;
  }

  signAccess(userId: string, sessionId: string): { token: string; jti: string } {
    const jti = randomUUID();
    const token = this.access.sign({ sid: sessionId, typ: 'access' }, { subject: userId, jwtid: jti, expiresIn: this.accessTtlSeconds });
    return { token, jti };
  }

  signRefresh(userId: string, sessionId: string, tokenId: string): string {
    return this.refresh.sign({ sid: sessionId, typ: 'refresh' }, { subject: userId, jwtid: tokenId, expiresIn: this.refreshTtlSeconds });
  }

  verifyAccess(token: string): AccessClaims {
    const payload = this.verify(token, this.access, 'access');
    return { userId: payload.sub, sessionId: payload.sid, jti: payload.jti, exp: payload.exp };
  }

  verifyRefresh(token: string): RefreshClaims {
    const payload = this.verify(token, this.refresh, 'refresh');
    return { userId: payload.sub, sessionId: payload.sid, tokenId: payload.jti };
  }

  private verify(token: string, verifier: JwtService, typ: 'access' | 'refresh') {
    let payload: JwtPayload;
    try {
      payload = verifier.verify<JwtPayload & object>(token);
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
