import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import helmet, { type HelmetOptions } from 'helmet';

/** Swagger UI's page carries inline <style> blocks and style attributes; only it gets them. */
const DOCS_PATH = /^\/api\/docs(\/|$)/;
/**
 * The one <style> element the web app lets in: the stylesheet emoji-picker-react injects when the
 * reaction picker first opens (its hash as the browser reports it; an upgrade of the package that
 * changes it fails the reactions browser test, which watches for policy violations).
 */
export const EMOJI_PICKER_STYLE_HASH = "'sha256-liYS2EkGkEQctGOAw0hqzCeXkYGF6UDpaCJkOt8cDSE='";
const HOST = /^[a-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-f:.]+\](:\d{1,5})?$/i;

/**
 * The socket's own origin under ws:/wss:. CSP Level 3 lets 'self' cover it, but browsers that
 * predate that (Safari before 15.4) refuse a websocket to 'self' without it.
 */
function sameOriginSockets(req: IncomingMessage, _res: ServerResponse): string {
  const host = req.headers.host;
  return host && HOST.test(host) ? `ws://${host} wss://${host}` : '';
}

function options(inlineStyles: boolean): HelmetOptions {
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: inlineStyles ? ["'self'", "'unsafe-inline'"] : ["'self'", EMOJI_PICKER_STYLE_HASH],
        connectSrc: ["'self'", sameOriginSockets],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
  };
}

/** helmet on every response: API, web app, Swagger UI. docs/decisions.md names each allowance. */
export function securityHeaders() {
  const strict = helmet(options(false));
  const docs = helmet(options(true));
  return (req: Request, res: Response, next: NextFunction) => (DOCS_PATH.test(req.path) ? docs : strict)(req, res, next);
}
