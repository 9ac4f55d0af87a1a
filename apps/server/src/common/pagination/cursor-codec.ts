import { createHmac, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { z } from 'zod';
import { AppConfig } from '../../config/app-config';
import { AppError } from '../errors/app-error';

const invalidCursor = () => new AppError(400, 'INVALID_CURSOR', 'Invalid cursor', [{ path: 'cursor', message: 'Use the nextCursor of a previous page' }]);

/**
 * Opaque keyset cursors: base64url JSON of the sort key plus an HMAC, so a tampered or invented
 * cursor is refused with 400 instead of silently paging from somewhere else.
 */
@Injectable()
export class CursorCodec {
  private readonly key: Buffer;

  constructor(config: AppConfig) {
    this.key = createHmac('sha256', config.jwt.accessSecret).update('pagination-cursor').digest();
  }

  encode(payload: unknown): string {
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${body}.${this.sign(body)}`;
  }

  decode<T>(cursor: string, schema: z.ZodType<T>): T {
    const [body, signature, extra] = cursor.split('.');
    if (!body || !signature || extra !== undefined) throw invalidCursor();
    const expected = Buffer.from(this.sign(body));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw invalidCursor();
    let json: unknown;
    try {
      json = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      throw invalidCursor();
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw invalidCursor();
    return parsed.data;
  }

  private sign(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url').slice(0, 22);
  }
}
