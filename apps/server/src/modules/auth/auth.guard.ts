import { type CanActivate, createParamDecorator, type ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { authErrors } from './auth.errors';
import { AuthService } from './auth.service';
import type { AccessClaims } from './token.service';

export type AuthenticatedRequest = Request & { auth?: AccessClaims };

export function bearerToken(req: Request): string | null {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return null;
  const [scheme, token] = header.split(' ');
  return scheme?.toLowerCase() === 'bearer' && token ? token : null;
}

/** Requires a valid, unrevoked access token and exposes its claims as `req.auth`. */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(private readonly auth: AuthService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = bearerToken(req);
    if (!token) throw authErrors.missingToken();
    req.auth = await this.auth.authenticate(token);
    return true;
  }
}

/** Like JwtAuthGuard but lets the request through without credentials (logout with an expired token). */
@Injectable()
export class OptionalJwtAuthGuard implements CanActivate {
  constructor(private readonly auth: AuthService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = bearerToken(req);
    if (token) req.auth = await this.auth.authenticate(token).catch(() => undefined);
    return true;
  }
}

export const CurrentAuth = createParamDecorator((_data: unknown, context: ExecutionContext): AccessClaims | null => {
  return context.switchToHttp().getRequest<AuthenticatedRequest>().auth ?? null;
});
