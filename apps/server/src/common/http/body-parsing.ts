import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';
import express from 'express';
import { toErrorResponse } from '../errors/http-exception.filter';

export const JSON_BODY_LIMIT = '1mb';

/** Routes that read their own request body as a stream (file uploads); JSON parsing leaves them alone. */
const STREAMED_BODY_ROUTES = [{ method: 'POST', path: /^\/api\/files\/?$/ }];

/**
 * JSON only: a body with another content type is refused with 415 instead of being silently ignored,
 * and body-parser's own failures (malformed JSON, 413) are answered in the error shape.
 */
export function jsonBodyParser(): RequestHandler[] {
  const parse = express.json({ limit: JSON_BODY_LIMIT, strict: true, type: () => true });
  const requireJson: RequestHandler = (req, _res, next) => {
    const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    if (!hasBody || !['POST', 'PUT', 'PATCH', 'DELETE'].includes(req.method)) return next();
    if (STREAMED_BODY_ROUTES.some((route) => route.method === req.method && route.path.test(req.path))) return next();
    if (!req.is('application/json') && !req.is('application/*+json')) {
      return next(Object.assign(new Error('Unsupported content type'), { status: 415 }));
    }
    return parse(req, _res, next);
  };
  return [requireJson];
}

export const bodyErrorHandler: ErrorRequestHandler = (error: unknown, _req: Request, res: Response, next: NextFunction) => {
  if (res.headersSent) return next(error);
  const { body } = toErrorResponse(error);
  res.status(body.statusCode).json(body);
};
