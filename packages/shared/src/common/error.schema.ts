import { z } from 'zod';

export const errorDetailSchema = z.object({
  path: z.string(),
  message: z.string(),
});

/** The one error shape every HTTP 4xx/5xx response carries. */
export const errorResponseSchema = z.object({
  statusCode: z.number().int(),
  error: z.string(),
  message: z.string(),
  /** Machine-readable reason, e.g. EMAIL_TAKEN; stable across releases. */
  code: z.string().optional(),
  details: z.array(errorDetailSchema).optional(),
});

export type ErrorDetail = z.infer<typeof errorDetailSchema>;
export type ErrorResponse = z.infer<typeof errorResponseSchema>;
