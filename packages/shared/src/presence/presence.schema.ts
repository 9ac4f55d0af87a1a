import { z } from 'zod';
import { isoDateTimeSchema, uuidSchema } from '../common/id.schema';

export const PRESENCE_BATCH_MAX = 100;
export const presenceStatusSchema = z.enum(['online', 'away', 'offline']);

export const presenceSchema = z.object({
  userId: uuidSchema,
  status: presenceStatusSchema,
  /** Last heartbeat of the most active device, while online or away. */
  lastActivity: isoDateTimeSchema.nullable(),
  /** When the user was last online; null while online, or when they do not share it. */
  lastSeenAt: isoDateTimeSchema.nullable(),
});

export const userIdParamSchema = z.object({ id: uuidSchema });

export const presenceBatchQuerySchema = z.object({
  userIds: z
    .string({ error: 'userIds is required' })
    .transform((value) => [
      ...new Set(
        value
          .split(',')
          .map((id) => id.trim())
          .filter(Boolean),
      ),
    ])
    .pipe(
      z
        .array(uuidSchema, { error: 'userIds must be uuids' })
        .min(1, { error: 'userIds is required' })
        .max(PRESENCE_BATCH_MAX, { error: `At most ${PRESENCE_BATCH_MAX} user ids` }),
    ),
});

export const presenceBatchResponseSchema = z.object({ presences: z.array(presenceSchema) });

export type PresenceStatus = z.infer<typeof presenceStatusSchema>;
export type Presence = z.infer<typeof presenceSchema>;
export type PresenceBatchResponse = z.infer<typeof presenceBatchResponseSchema>;
