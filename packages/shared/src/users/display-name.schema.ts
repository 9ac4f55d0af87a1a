import { z } from 'zod';
import { NO_NUL_MESSAGE, NOT_WELL_FORMED_MESSAGE, noNul, wellFormed } from '../common/id.schema';

export const DISPLAY_NAME_MIN = 2;
export const DISPLAY_NAME_MAX = 64;

export const displayNameSchema = z
  .string({ error: 'Display name is required' })
  .trim()
  .min(DISPLAY_NAME_MIN, { error: `Display name must be at least ${DISPLAY_NAME_MIN} characters` })
  .max(DISPLAY_NAME_MAX, { error: `Display name must be at most ${DISPLAY_NAME_MAX} characters` })
  .refine(noNul, { error: `Display name ${NO_NUL_MESSAGE}` })
  .refine(wellFormed, { error: `Display name ${NOT_WELL_FORMED_MESSAGE}` });
