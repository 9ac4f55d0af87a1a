import { STATUS_CODES } from 'node:http';
import type { ErrorDetail } from '@chat/shared';

/** A failure the caller caused or may act on; carries its HTTP status and a stable code. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetail[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const reasonPhrase = (status: number): string => STATUS_CODES[status] ?? 'Error';

export const commonErrors = {
  validation: (details: ErrorDetail[], message = 'Validation failed') => new AppError(400, 'VALIDATION_ERROR', message, details),
  unauthorized: (message = 'Authentication required') => new AppError(401, 'UNAUTHORIZED', message),
  rateLimited: (retryAfterSeconds: number, message = 'Too many requests') =>
    new AppError(429, 'RATE_LIMITED', message, undefined, { 'Retry-After': String(retryAfterSeconds) }),
};
