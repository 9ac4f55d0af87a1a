import { z } from 'zod';

export const uuidSchema = z.uuid();
export const isoDateTimeSchema = z.iso.datetime({ offset: true });

/** PostgreSQL text cannot hold NUL; refuse it up front instead of failing on write. */
export const noNul = (value: string) => !value.includes('\u0000');
export const NO_NUL_MESSAGE = 'must not contain NUL characters';
/**
 * False when the text holds a lone UTF-16 surrogate (half of a pair, e.g. from a cut emoji): UTF-8
 * cannot encode it, and PostgreSQL would store U+FFFD instead of what was sent. Refused up front.
 */
export const wellFormed = (value: string) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(value);
export const NOT_WELL_FORMED_MESSAGE = 'must not contain a lone surrogate (half of an emoji or other character)';
