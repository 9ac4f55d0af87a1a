import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from '../../common/errors/app-error';
import { SocketFailure, toSocketError } from './socket-errors';

describe('toSocketError', () => {
  it.each([
    [403, 'NOT_OWNER', 'FORBIDDEN'],
    [403, 'EDIT_WINDOW_PASSED', 'FORBIDDEN'],
    [404, 'USER_NOT_FOUND', 'NOT_FOUND'],
    [404, 'PARTICIPANT_NOT_FOUND', 'NOT_FOUND'],
    [409, 'CLIENT_MESSAGE_ID_REUSED', 'CONFLICT'],
    [401, 'REFRESH_TOKEN_REUSED', 'AUTH_FAILED'],
    [400, 'UNKNOWN_USERS', 'VALIDATION_ERROR'],
    [422, 'SOMETHING_INVALID', 'VALIDATION_ERROR'],
    [500, 'BROKEN', 'INTERNAL'],
  ])('maps a %i %s by its status to %s', (status, appCode, code) => {
    expect(toSocketError(new AppError(status, appCode, 'why'), 'some:event')).toEqual({ code, error: 'why', event: 'some:event' });
  });

  it.each([
    [403, 'NOT_IN_CONVERSATION', 'NOT_IN_CONVERSATION'],
    [404, 'CONVERSATION_NOT_FOUND', 'CONVERSATION_NOT_FOUND'],
    [404, 'MESSAGE_NOT_FOUND', 'MESSAGE_NOT_FOUND'],
    [401, 'INVALID_TOKEN', 'AUTH_FAILED'],
    [403, 'EVERYONE_MENTION_FORBIDDEN', 'EVERYONE_MENTION_FORBIDDEN'],
  ])('keeps the specific code of a %i %s', (status, appCode, code) => {
    expect(toSocketError(new AppError(status, appCode, 'why'), 'e').code).toBe(code);
  });

  it('carries Retry-After and details', () => {
    const limited = new AppError(429, 'RATE_LIMITED', 'slow down', [{ path: 'content', message: 'x' }], { 'Retry-After': '7' });
    expect(toSocketError(limited, 'message:send')).toEqual({
      code: 'RATE_LIMITED',
      error: 'slow down',
      event: 'message:send',
      retryAfter: 7,
      details: [{ path: 'content', message: 'x' }],
    });
  });

  it('answers bad input as VALIDATION_ERROR with the fields, a SocketFailure as itself, anything else as INTERNAL without its message', () => {
    const parsed = z.object({ id: z.string() }).safeParse({ id: 1 });
    expect(toSocketError(parsed.error, 'e')).toMatchObject({ code: 'VALIDATION_ERROR', event: 'e', details: [{ path: 'id' }] });
    expect(toSocketError(new SocketFailure({ code: 'PRESENCE_LIMIT', error: 'too many' }), 'e')).toEqual({
      code: 'PRESENCE_LIMIT',
      error: 'too many',
      event: 'e',
    });
    expect(toSocketError(new Error('secret detail'), 'e')).toEqual({ code: 'INTERNAL', error: 'Internal error', event: 'e' });
  });
});
