import { z } from 'zod';

export const checkStatusSchema = z.enum(['ok', 'error']);

export const liveResponseSchema = z.object({ status: z.literal('alive') });

export const readyResponseSchema = z.object({
  status: z.enum(['ready', 'not_ready']),
  checks: z.object({
    database: checkStatusSchema,
    redis: checkStatusSchema,
    shutdown: checkStatusSchema.optional(),
  }),
});

export type ReadyResponse = z.infer<typeof readyResponseSchema>;
