import { type CanActivate, createParamDecorator, type ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { authErrors } from './auth.errors';
import { AuthService } from './auth.service';
import type { AccessClaims } from './token.service';

export type AuthenticatedRequest = Request & { auth?: AccessClaims };

type AuthMode = 'public' | 'optional';
const AUTH_MODE = 'auth-mode';

/** The route needs no credentials. Every other route requires a valid access token. */
export const Public = () => SetMetadata(AUTH_MODE, 'public' satisfies AuthMode);
/** Credentials are used when valid and ignored otherwise (logout with an expired token). */
export const OptionalAuth = () => SetMetadata(AUTH_MODE, 'optional' satisfies AuthMode);

export function bearerToken(req: Request): string | null {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return null;
  const [scheme, token, extra] = header.split(' ');
  return scheme?.toLowerCase() === 'bearer' && token && extra === undefined ? token : null;
}

/** Global guard: secure by default, so a new endpoint cannot be exposed by forgetting a decorator. */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly auth: AuthService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const mode = this.reflector.getAllAndOverride<AuthMode | undefined>(AUTH_MODE, [context.getHandler(), context.getClass()]);
    if (mode === 'public') return true;
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = bearerToken(req);
    if (mode === 'optional') {
      if (token) req.auth = await this.auth.authenticate(token).catch(() => undefined);
      return true;
    }
    if (!token) throw authErrors.missingToken();
    req.auth = await this.auth.authenticate(token);
    return true;
  }
}

export const CurrentAuth = createParamDecorator((_data: unknown, context: ExecutionContext): AccessClaims | null => {
  return context.switchToHttp().getRequest<AuthenticatedRequest>().auth ?? null;
});

/** The signed-in user's id; only on routes the guard protects. */
export const CurrentUserId = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  const auth = context.switchToHttp().getRequest<AuthenticatedRequest>().auth;
  if (!auth) throw authErrors.missingToken();
  return auth.userId;
});
