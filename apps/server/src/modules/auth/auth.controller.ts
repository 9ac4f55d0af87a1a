import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ZodResponse } from 'nestjs-zod';
import { AppConfig } from '../../config/app-config';
import { ApiErrors } from '../../common/swagger/api-errors.decorator';
import { AuthResponseDto, ChangePasswordDto, LoginDto, RegisterDto, UserDto } from './auth.dto';
import { CurrentAuth, OptionalAuth, Public } from './auth.guard';
import { type ClientContext, AuthService, type IssuedSession } from './auth.service';
import type { AccessClaims } from './token.service';

export const REFRESH_COOKIE = 'refresh_token';
export const REFRESH_COOKIE_PATH = '/api/auth';

@ApiTags('Authentication')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly config: AppConfig,
  ) {}

  @Post('register')
  @Public()
  @ApiOperation({ summary: 'Create an account and sign in', description: 'Sets the refresh-token cookie.' })
  @ZodResponse({ status: 201, description: 'Account created and signed in', type: AuthResponseDto })
  @ApiErrors(400, [409, 'An account with this email already exists'], 413, 415, 429)
  async register(@Body() body: RegisterDto, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.withCookie(req, res, await this.auth.register(body, clientOf(req)));
  }

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in', description: '5 attempts per 15 minutes per (email, IP address). Sets the refresh-token cookie.' })
  @ZodResponse({ status: 200, description: 'Signed in', type: AuthResponseDto })
  @ApiErrors(400, [401, 'Invalid email or password'], 429)
  async login(@Body() body: LoginDto, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.withCookie(req, res, await this.auth.login(body, clientOf(req)));
  }

  @Post('refresh')
  @Public()
  @HttpCode(200)
  @ApiCookieAuth(REFRESH_COOKIE)
  @ApiOperation({
    summary: 'Rotate the refresh token and get a new access token',
    description: 'Reads the httpOnly refresh cookie. A refresh token used twice ends its whole session (reuse detection).',
  })
  @ZodResponse({ status: 200, description: 'New access token; the cookie holds a new refresh token', type: AuthResponseDto })
  @ApiErrors([401, 'Missing, invalid, expired or reused refresh token'])
  async refresh(@Req() req: Request, @Res({ passthrough: true }) res: Response) {
    try {
      return this.withCookie(req, res, await this.auth.refresh(refreshCookie(req)));
    } catch (error) {
      this.clearCookie(req, res);
      throw error;
    }
  }

  @Post('logout')
  @HttpCode(204)
  @OptionalAuth()
  @ApiBearerAuth()
  @ApiCookieAuth(REFRESH_COOKIE)
  @ApiOperation({ summary: 'Sign out', description: 'Ends the session, revokes the access token and clears the cookie.' })
  @ApiNoContentResponse({ description: 'Signed out' })
  async logout(@CurrentAuth() claims: AccessClaims | null, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.auth.logout(claims, refreshCookie(req));
    this.clearCookie(req, res);
  }

  @Post('password')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Change your password',
    description:
      'Needs the current password (5 wrong attempts per 15 minutes). Ends every other session of the account: their refresh tokens and access tokens stop working and their sockets are disconnected with auth:error. This session goes on.',
  })
  @ApiNoContentResponse({ description: 'Password changed' })
  @ApiErrors([400, 'Invalid new password, or the current password is not correct (code WRONG_PASSWORD)'], 401, 429)
  async changePassword(@CurrentAuth() claims: AccessClaims, @Body() body: ChangePasswordDto): Promise<void> {
    await this.auth.changePassword(claims, body);
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The signed-in user' })
  @ZodResponse({ status: 200, description: 'The signed-in user', type: UserDto })
  @ApiErrors(401)
  me(@CurrentAuth() claims: AccessClaims) {
    return this.auth.me(claims.userId);
  }

  private withCookie(req: Request, res: Response, issued: IssuedSession) {
    res.cookie(REFRESH_COOKIE, issued.refreshToken, {
      httpOnly: true,
      sameSite: 'strict',
      secure: this.secureCookie(req),
      path: REFRESH_COOKIE_PATH,
      expires: issued.refreshExpiresAt,
    });
    return issued.body;
  }

  private clearCookie(req: Request, res: Response): void {
    res.clearCookie(REFRESH_COOKIE, { httpOnly: true, sameSite: 'strict', secure: this.secureCookie(req), path: REFRESH_COOKIE_PATH });
  }

  private secureCookie(req: Request): boolean {
    return this.config.cookieSecure === 'auto' ? req.secure : this.config.cookieSecure === 'true';
  }
}

function clientOf(req: Request): ClientContext {
  return { ip: req.ip ?? null, userAgent: req.get('user-agent') ?? null };
}

function refreshCookie(req: Request): string | undefined {
  const value = (req.cookies as Record<string, unknown> | undefined)?.[REFRESH_COOKIE];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
