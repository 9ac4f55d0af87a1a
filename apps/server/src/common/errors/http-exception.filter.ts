import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { ErrorResponse } from '@chat/shared';
import type { Response } from 'express';
import { ZodSerializationException, ZodValidationException } from 'nestjs-zod';
import { AppError, reasonPhrase } from './app-error';
import { isDataException, isInfrastructureUnavailable } from './error-classes';
import { zodDetails } from './zod-details';

/** Writes every HTTP failure in the one error shape; anything unexpected is logged and becomes a bare 500. */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') return;
    const response = host.switchToHttp().getResponse<Response>();
    const { body, headers } = this.toErrorResponse(exception);
    if (body.statusCode >= 500) this.logger.error(exception);
    if (response.headersSent) return;
    for (const [name, value] of Object.entries(headers ?? {})) response.setHeader(name, value);
    response.status(body.statusCode).json(body);
  }

  toErrorResponse(exception: unknown): { body: ErrorResponse; headers?: Record<string, string> } {
    return toErrorResponse(exception);
  }
}

export function toErrorResponse(exception: unknown): { body: ErrorResponse; headers?: Record<string, string> } {
  if (exception instanceof AppError) {
    return {
      body: {
        statusCode: exception.status,
        error: reasonPhrase(exception.status),
        message: exception.message,
        code: exception.code,
        ...(exception.details ? { details: exception.details } : {}),
      },
      headers: exception.headers,
    };
  }
  if (exception instanceof ZodValidationException) {
    return {
      body: {
        statusCode: 400,
        error: reasonPhrase(400),
        message: 'Validation failed',
        code: 'VALIDATION_ERROR',
        details: zodDetails(exception.getZodError()),
      },
    };
  }
  if (exception instanceof ZodSerializationException) {
    return { body: { statusCode: 500, error: reasonPhrase(500), message: 'Internal server error', code: 'INTERNAL' } };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const payload = exception.getResponse();
    const message =
      typeof payload === 'string'
        ? payload
        : typeof (payload as { message?: unknown }).message === 'string'
          ? (payload as { message: string }).message
          : exception.message;
    return { body: { statusCode: status, error: reasonPhrase(status), message, code: codeForStatus(status) } };
  }
  // Errors raised by body-parser and other express middleware carry their HTTP status.
  const status = (exception as { status?: unknown; statusCode?: unknown })?.status ?? (exception as { statusCode?: unknown })?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const type = (exception as { type?: string }).type;
    const message =
      type === 'entity.parse.failed'
        ? 'Malformed JSON body'
        : type === 'entity.too.large'
          ? 'Request body is too large'
          : status === 415
            ? 'Unsupported content type'
            : reasonPhrase(status);
    return { body: { statusCode: status, error: reasonPhrase(status), message, code: codeForStatus(status) } };
  }
  if (isDataException(exception)) {
    return { body: { statusCode: 400, error: reasonPhrase(400), message: 'The request contains a value the database cannot store', code: 'VALIDATION_ERROR' } };
  }
  if (isInfrastructureUnavailable(exception)) {
    return {
      body: { statusCode: 503, error: reasonPhrase(503), message: 'A backing service is unavailable; try again shortly', code: 'SERVICE_UNAVAILABLE' },
      headers: { 'Retry-After': '2' },
    };
  }
  return { body: { statusCode: 500, error: reasonPhrase(500), message: 'Internal server error', code: 'INTERNAL' } };
}

function codeForStatus(status: number): string {
  switch (status) {
    case 400:
      return 'BAD_REQUEST';
    case 401:
      return 'UNAUTHORIZED';
    case 403:
      return 'FORBIDDEN';
    case 404:
      return 'NOT_FOUND';
    case 413:
      return 'PAYLOAD_TOO_LARGE';
    case 415:
      return 'UNSUPPORTED_MEDIA_TYPE';
    case 429:
      return 'RATE_LIMITED';
    default:
      return status >= 500 ? 'INTERNAL' : 'BAD_REQUEST';
  }
}
