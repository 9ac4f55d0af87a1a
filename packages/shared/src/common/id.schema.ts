import { z } from 'zod';

export const uuidSchema = z.uuid();
export const isoDateTimeSchema = z.iso.datetime({ offset: true });

/** PostgreSQL text cannot hold NUL; refuse it up front instead of failing on write. */
export const noNul = (value: string) => !value.includes('\u0000');
export const NO_NUL_MESSAGE = 'must not contain NUL characters';
