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
