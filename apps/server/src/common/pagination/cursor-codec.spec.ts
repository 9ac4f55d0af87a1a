import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import type { AppConfig } from '../../config/app-config';
import { AppError } from '../errors/app-error';
import { CursorCodec } from './cursor-codec';

const codec = new CursorCodec({ jwt: { accessSecret: 'x'.repeat(40) } } as AppConfig);
const schema = z.object({ t: z.string(), id: z.string() });

describe('CursorCodec', () => {
  it('round-trips a sort key', () => {
    const cursor = codec.encode({ t: '2026-01-01 00:00:00.123456+00', id: 'abc' });
    expect(codec.decode(cursor, schema)).toEqual({ t: '2026-01-01 00:00:00.123456+00', id: 'abc' });
  });

  it.each([
    ['garbage', 'not a cursor'],
    ['an empty signature', 'eyJ0IjoxfQ.'],
    [
      'a tampered body',
      (() => {
        const [body, sig] = codec.encode({ t: 'a', id: 'b' }).split('.');
        return `${Buffer.from(JSON.stringify({ t: 'a', id: 'c' })).toString('base64url')}.${sig}` + (body ? '' : '');
      })(),
    ],
    ['a wrong shape', codec.encode({ nope: true })],
  ])('refuses %s with a 400 INVALID_CURSOR', (_case, cursor) => {
    try {
      codec.decode(cursor, schema);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).status).toBe(400);
      expect((error as AppError).code).toBe('INVALID_CURSOR');
    }
  });
});
