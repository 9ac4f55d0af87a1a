import type { SocketError, SocketErrorCode } from '@chat/shared';
import { ZodError } from 'zod';
import { AppError } from '../../common/errors/app-error';
import { isDataException, isInfrastructureUnavailable } from '../../common/errors/error-classes';
import { zodDetails } from '../../common/errors/zod-details';

/** A failure inside a socket handler, already in the socket error shape. */
export class SocketFailure extends Error {
  constructor(readonly payload: SocketError) {
    super(payload.error);
  }
}

const CODE_BY_APP_CODE: Record<string, SocketErrorCode> = {
  NOT_IN_CONVERSATION: 'NOT_IN_CONVERSATION',
  CONVERSATION_NOT_FOUND: 'CONVERSATION_NOT_FOUND',
  MESSAGE_NOT_FOUND: 'MESSAGE_NOT_FOUND',
  RATE_LIMITED: 'RATE_LIMITED',
  EVERYONE_MENTION_FORBIDDEN: 'EVERYONE_MENTION_FORBIDDEN',
  TOO_MANY_REACTIONS: 'TOO_MANY_REACTIONS',
  INVALID_TOKEN: 'AUTH_FAILED',
  TOKEN_REVOKED: 'AUTH_FAILED',
  UNAUTHORIZED: 'AUTH_FAILED',
};

/** The rest by HTTP status; any other 4xx is the client's input (400, 422), a 5xx is INTERNAL. */
const CODE_BY_STATUS: Partial<Record<number, SocketErrorCode>> = {
  401: 'AUTH_FAILED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  429: 'RATE_LIMITED',
};

function codeOf(error: AppError): SocketErrorCode {
  return CODE_BY_APP_CODE[error.code] ?? CODE_BY_STATUS[error.status] ?? (error.status < 500 ? 'VALIDATION_ERROR' : 'INTERNAL');
}

/** Maps whatever a handler threw to the protocol's `{ code, error, ... }`; unknown failures say INTERNAL and nothing more. */
export function toSocketError(error: unknown, event: string): SocketError {
  if (error instanceof SocketFailure) return { ...error.payload, event };
  if (error instanceof ZodError) {
    return { code: 'VALIDATION_ERROR', error: 'Invalid payload', event, details: zodDetails(error) };
  }
  if (error instanceof AppError) {
    const code = codeOf(error);
    const retryAfter = error.headers?.['Retry-After'];
    return {
      code,
      error: error.message,
      event,
      ...(retryAfter ? { retryAfter: Number(retryAfter) } : {}),
      ...(error.details ? { details: error.details } : {}),
    };
  }
  if (isDataException(error)) return { code: 'VALIDATION_ERROR', error: 'A value cannot be stored', event };
  if (isInfrastructureUnavailable(error)) {
    return { code: 'SERVICE_UNAVAILABLE', error: 'A backing service is unavailable; retry shortly', event, retryAfter: 2 };
  }
  return { code: 'INTERNAL', error: 'Internal error', event };
}
